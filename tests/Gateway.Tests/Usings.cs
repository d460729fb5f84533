global using Evergreen.Testing;
global using Xunit;
