namespace Evergreen.ConfigStore.Plugins.Diagnostics;

/// <summary>The stable codes of loader diagnostics. Errors first: they are the only ones that make a revision invalid.</summary>
internal static class DiagnosticCodes
{
    // Errors.
    public const string DuplicateName = "duplicate-name";
    public const string PathEscapesRepository = "path-escapes-repository";
    public const string FileTooLarge = "file-too-large";
    public const string MarketplaceSourceTraversal = "marketplace-source-traversal";
    public const string DependencyMissing = "dependency-missing";
    public const string DependencyVersionUnsatisfied = "dependency-version-unsatisfied";
    public const string DependencyCycle = "dependency-cycle";
    public const string AgentUnnamed = "agent-unnamed";

    // Warnings by default, errors under the strict (Agent Skills specification) profile.
    public const string SkillNameMismatch = "skill-name-mismatch";
    public const string SkillSpec = "skill-spec";

    // Warnings.
    public const string FrontmatterFallback = "frontmatter-fallback";
    public const string FrontmatterUnclosed = "frontmatter-unclosed";
    public const string FrontmatterValueCoerced = "frontmatter-value-coerced";
    public const string AgentNameMismatch = "agent-name-mismatch";
    public const string NameMissing = "name-missing";
    public const string DescriptionMissing = "description-missing";
    public const string FileNotText = "file-not-text";
    public const string ManifestInvalid = "manifest-invalid";
    public const string ManifestMissing = "manifest-missing";
    public const string ManifestConflict = "manifest-conflict";
    public const string PluginUnnamed = "plugin-unnamed";
    public const string PluginNotListed = "plugin-not-listed";
    public const string ComponentPathInvalid = "component-path-invalid";
    public const string PathNotFound = "path-not-found";
    public const string ComponentIgnored = "component-ignored";
    public const string MarketplaceRemoteSource = "marketplace-remote-source";
    public const string MarketplaceSourceInvalid = "marketplace-source-invalid";
    public const string DependencyUnchecked = "dependency-unchecked";
}
