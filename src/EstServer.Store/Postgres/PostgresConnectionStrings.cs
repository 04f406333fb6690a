using Npgsql;

namespace EstServer.Store.Postgres;

/// <summary>
/// Reads a PostgreSQL connection string in either spelling operators use: Npgsql's key/value form
/// (<c>Host=db;Username=est;Password=...</c>) or a libpq URI
/// (<c>postgresql://est:secret@db:5432/est?sslmode=require</c>), and names the target without secrets.
/// </summary>
internal static class PostgresConnectionStrings
{
    /// <summary>The name Npgsql reports to the server (pg_stat_activity) when the connection string sets none.</summary>
    public const string ApplicationName = "estserver";

    public static bool IsUri(string connectionString) =>
        connectionString.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ||
        connectionString.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Npgsql's key/value form of <paramref name="connectionString"/>; ArgumentException (without the string) when it is malformed.</summary>
    public static NpgsqlConnectionStringBuilder Parse(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder = IsUri(connectionString) ? FromUri(connectionString) : KeyValue(connectionString);
        builder.ApplicationName ??= ApplicationName;
        return builder;
    }

    /// <summary>host:port/database, for logs and error messages.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder) =>
        $"{builder.Host}{(builder.Host?.Contains(',', StringComparison.Ordinal) == true ? "" : ":" + builder.Port)}/{builder.Database ?? builder.Username}";

    private static NpgsqlConnectionStringBuilder KeyValue(string connectionString)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException)
        {
            // The original message may quote the offending value, which could be the password.
            throw new ArgumentException("the PostgreSQL connection string is malformed (expected Key=Value pairs such as Host=...;Username=...;Database=...)");
        }
    }

    /// <summary>postgres[ql]://[user[:password]@]host[:port][,host2[:port]][/database][?key=value&amp;...], percent-decoded.</summary>
    private static NpgsqlConnectionStringBuilder FromUri(string uri)
    {
        string rest = uri[(uri.IndexOf("://", StringComparison.Ordinal) + 3)..];
        string query = "";
        if (rest.IndexOf('?') is var q and >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        var builder = new NpgsqlConnectionStringBuilder();
        if (rest.IndexOf('/') is var slash and >= 0)
        {
            string database = Uri.UnescapeDataString(rest[(slash + 1)..]);
            builder.Database = database.Length > 0 ? database : null;
            rest = rest[..slash];
        }

        if (rest.LastIndexOf('@') is var at and >= 0)
        {
            string user = rest[..at];
            rest = rest[(at + 1)..];
            int colon = user.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon >= 0 ? user[..colon] : user);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(user[(colon + 1)..]);
            }
        }

        SetHosts(builder, Uri.UnescapeDataString(rest));
        foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string key = Uri.UnescapeDataString(equals >= 0 ? pair[..equals] : pair);
            string value = equals >= 0 ? Uri.UnescapeDataString(pair[(equals + 1)..]) : "";
            SetParameter(builder, key, value);
        }

        return builder;
    }

    private static void SetHosts(NpgsqlConnectionStringBuilder builder, string hosts)
    {
        if (hosts.Length == 0)
        {
            throw new ArgumentException("the PostgreSQL URI names no host");
        }

        // One host may carry its port (db:5433, [::1]:5433); several go to Npgsql as they are (h1:5432,h2:5432).
        int colon = hosts.LastIndexOf(':');
        bool singleWithPort = !hosts.Contains(',', StringComparison.Ordinal) && colon > hosts.LastIndexOf(']');
        if (singleWithPort && int.TryParse(hosts[(colon + 1)..], out int port))
        {
            builder.Host = hosts[..colon].Trim('[', ']');
            builder.Port = port;
        }
        else
        {
            builder.Host = hosts.StartsWith('[') && hosts.EndsWith(']') ? hosts[1..^1] : hosts;
        }
    }

    /// <summary>The libpq URI parameters operators use, spelt as Npgsql keys; anything else must be an Npgsql key itself.</summary>
    private static void SetParameter(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        string npgsqlKey = key.ToLowerInvariant() switch
        {
            "sslmode" => "SSL Mode",
            "sslrootcert" => "Root Certificate",
            "sslcert" => "SSL Certificate",
            "sslkey" => "SSL Key",
            "application_name" => "Application Name",
            "connect_timeout" => "Timeout",
            "target_session_attrs" => "Target Session Attributes",
            "options" => "Options",
            _ => key,
        };
        try
        {
            builder[npgsqlKey] = key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? value.Replace("-", "", StringComparison.Ordinal) : value;
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException)
        {
            throw new ArgumentException($"the PostgreSQL URI parameter '{key}' is not supported or has an invalid value");
        }
    }
}
