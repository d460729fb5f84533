using Evergreen.Testing;

// The shared test servers are real PostgreSQL and Redis processes started from the machine's Linux binaries.
[assembly: AssemblyFixture(typeof(PostgresServerFixture))]
[assembly: AssemblyFixture(typeof(RedisServerFixture))]
