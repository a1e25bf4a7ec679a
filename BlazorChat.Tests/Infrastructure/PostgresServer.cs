using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace BlazorChat.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server of the tests' own: Debian's binaries, a new cluster in a temporary folder (initdb), listening on a
/// free loopback port only, with trust authentication. Shared by the test classes of <see cref="PostgresCollection"/>;
/// each test takes a fresh database of its own (<see cref="CreateDatabaseAsync"/>). Stopped, and its folder deleted, when
/// the collection is done, or when starting it fails. PostgreSQL refuses to run as root: as root (CI) the server runs as
/// the <c>postgres</c> user through runuser, otherwise as the current user.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    /// <summary>Where to look for initdb and pg_ctl, overriding the search under /usr/lib/postgresql.</summary>
    public const string BinariesVariable = "BLAZORCHAT_POSTGRES_BIN";

    private const string SuperUser = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"blazorchat-pg-{Guid.NewGuid():N}");
    private string _binaries = "";
    private bool _started;

    public int Port { get; private set; }

    /// <summary>The server's maintenance database, as the superuser.</summary>
    public string AdminConnectionString => ConnectionStringFor("postgres");

    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Database = database,
    }.ToString();

    public async Task InitializeAsync()
    {
        _binaries = FindBinaries();
        try
        {
            Directory.CreateDirectory(_folder);
            if (Environment.IsPrivilegedProcess)
                await RunAsync("chown", [$"{SuperUser}:{SuperUser}", _folder], asServerUser: false);
            await RunAsync(Path.Combine(_binaries, "initdb"),
                ["-D", DataFolder, "-A", "trust", "-U", SuperUser, "-E", "UTF8", "--no-locale", "--no-sync"], asServerUser: true);
            await StartOnAFreePortAsync();
            AppDomain.CurrentDomain.ProcessExit += StopOnExit;
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= StopOnExit;
        if (_started)
        {
            _started = false;
            // Immediate: the databases are throw-away, so no shutdown checkpoint is worth waiting for.
            await RunAsync(Path.Combine(_binaries, "pg_ctl"), ["-D", DataFolder, "-m", "immediate", "-w", "stop"], asServerUser: true, check: false);
        }
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A new, empty database on this server; dropping it (and closing its connections) is the caller's dispose.</summary>
    public async Task<TestDatabase> CreateDatabaseAsync()
    {
        var name = $"test_{Guid.NewGuid():N}";
        await ExecuteAdminAsync($"CREATE DATABASE {name};");
        return new TestDatabase(this, name);
    }

    /// <summary>
    /// A connection string to <paramref name="database"/> as a new role that must sign in with a password (SCRAM), as
    /// production servers ask: every other role keeps trust authentication.
    /// </summary>
    public async Task<string> ConnectionStringWithPasswordAsync(TestDatabase database)
    {
        var role = $"pw_{Guid.NewGuid():N}"[..16];
        var password = Guid.NewGuid().ToString("N");
        await ExecuteAdminAsync($"CREATE ROLE {role} LOGIN PASSWORD '{password}'; GRANT ALL ON DATABASE {database.Name} TO {role};");
        var rules = Path.Combine(DataFolder, "pg_hba.conf");
        await File.WriteAllTextAsync(rules, $"host all {role} 127.0.0.1/32 scram-sha-256\n" + await File.ReadAllTextAsync(rules));
        await ExecuteAdminAsync("SELECT pg_reload_conf();");
        return new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role, Password = password }.ToString();
    }

    internal async Task ExecuteAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private string DataFolder => Path.Combine(_folder, "data");

    private string LogFile => Path.Combine(_folder, "server.log");

    private async Task StartOnAFreePortAsync()
    {
        // A port free a moment ago may be taken by the time the server binds it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreeLoopbackPort();
            var options = $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200";
            var (exitCode, output) = await RunAsync(Path.Combine(_binaries, "pg_ctl"),
                ["-D", DataFolder, "-l", LogFile, "-o", options, "-w", "-t", "60", "start"], asServerUser: true, check: false);
            if (exitCode == 0)
            {
                _started = true;
                return;
            }
            if (attempt == 3)
                throw new InvalidOperationException($"PostgreSQL did not start on 127.0.0.1:{Port}: {output}\n{ServerLog()}");
        }
    }

    private static string FindBinaries()
    {
        var configured = Environment.GetEnvironmentVariable(BinariesVariable);
        string[] candidates = !string.IsNullOrEmpty(configured)
            ? [configured]
            : Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin"))
                    .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var major) ? major : 0).ToArray()
                : [];
        return candidates.FirstOrDefault(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
            ?? throw new InvalidOperationException(
                "The PostgreSQL tests need a PostgreSQL server's binaries (initdb, pg_ctl), and found none "
                + (string.IsNullOrEmpty(configured) ? "under /usr/lib/postgresql/<version>/bin" : $"in {BinariesVariable}={configured}")
                + ". Install them with `apt-get install -y postgresql` (./test.sh does when they are missing), or set "
                + $"{BinariesVariable} to the folder that holds them.");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private string ServerLog() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no server log)";

    /// <summary>Runs a command to its end; as root, the server's commands run as the postgres user.</summary>
    private static async Task<(int ExitCode, string Output)> RunAsync(string program, IReadOnlyList<string> arguments, bool asServerUser,
        bool check = true)
    {
        var start = new ProcessStartInfo
        {
            FileName = asServerUser && Environment.IsPrivilegedProcess ? "runuser" : program,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asServerUser && Environment.IsPrivilegedProcess)
        {
            foreach (var argument in (string[])["-u", SuperUser, "--", program])
                start.ArgumentList.Add(argument);
        }
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        // pg_ctl's server inherits these pipes unless it logs to a file (it does: -l), so reading to the end returns.
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in {CommandTimeout.TotalSeconds:N0} s.");
        }
        var text = (await output) + (await error);
        if (check && process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {text}");
        return (process.ExitCode, text);
    }

    private void StopOnExit(object? sender, EventArgs e) => DisposeAsync().GetAwaiter().GetResult();
}

/// <summary>A database of one test's own on the <see cref="PostgresServer"/>; dispose drops it, closing whatever is still connected.</summary>
public sealed class TestDatabase(PostgresServer server, string name) : IAsyncDisposable
{
    public string Name { get; } = name;

    public string ConnectionString { get; } = server.ConnectionStringFor(name);

    /// <summary>A pool of the test's own, outside any store (for setting up old schemas and checking what is stored).</summary>
    public NpgsqlDataSource OpenDataSource() => NpgsqlDataSource.Create(ConnectionString);

    public async ValueTask DisposeAsync() => await server.ExecuteAdminAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE);");
}

/// <summary>The test classes that share one <see cref="PostgresServer"/> (they run one after the other).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
