global using Xunit;
global using Evergreen.Testing;
