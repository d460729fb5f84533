// Each launcher test boots whole systems (nine processes); on a 2-core machine they run one class at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
