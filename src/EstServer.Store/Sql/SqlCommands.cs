using System.Data.Common;
using System.Runtime.CompilerServices;

namespace EstServer.Store.Sql;

/// <summary>
/// Builds and runs parameterised commands on either engine (both take <c>@name</c> placeholders). On a
/// connection registered with <see cref="KeepPrepared"/> the commands are reused instead of made anew.
/// </summary>
internal static class SqlCommands
{
    private static readonly ConditionalWeakTable<DbConnection, PreparedCommands> Prepared = new();

    /// <summary>From now on, commands run on <paramref name="connection"/> stay prepared in <paramref name="commands"/>.</summary>
    public static void KeepPrepared(DbConnection connection, PreparedCommands commands) => Prepared.AddOrUpdate(connection, commands);

    public static DbCommand Create(DbConnection connection, DbTransaction? transaction, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach ((string name, object? value) in parameters)
        {
            DbParameter parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    public static int Execute(DbConnection connection, DbTransaction? transaction, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using CommandLease lease = Lease(connection, transaction, sql, parameters);
        return lease.Command.ExecuteNonQuery();
    }

    /// <summary>The first column of the first row, or null when there is no row (or it is NULL).</summary>
    public static object? Scalar(DbConnection connection, DbTransaction? transaction, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using CommandLease lease = Lease(connection, transaction, sql, parameters);
        object? value = lease.Command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    /// <summary>Every row, each read by <paramref name="read"/>.</summary>
    public static List<T> List<T>(DbConnection connection, DbTransaction? transaction, string sql, Func<DbDataReader, T> read, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using CommandLease lease = Lease(connection, transaction, sql, parameters);
        using DbDataReader reader = lease.Command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>The first row read by <paramref name="read"/>, or default when there is none.</summary>
    public static T? First<T>(DbConnection connection, DbTransaction? transaction, string sql, Func<DbDataReader, T> read, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using CommandLease lease = Lease(connection, transaction, sql, parameters);
        using DbDataReader reader = lease.Command.ExecuteReader();
        return reader.Read() ? read(reader) : default;
    }

    private static CommandLease Lease(DbConnection connection, DbTransaction? transaction, string sql, ReadOnlySpan<(string Name, object? Value)> parameters) =>
        Prepared.TryGetValue(connection, out PreparedCommands? commands)
            ? new CommandLease(commands.Get(connection, transaction, sql, parameters), owned: false)
            : new CommandLease(Create(connection, transaction, sql, parameters), owned: true);
}
