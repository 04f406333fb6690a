using System.Data.Common;

namespace EstServer.Store.Sql;

/// <summary>
/// The commands of one long-lived connection, each kept prepared by its SQL text, so a statement run
/// again is bound and stepped without being parsed and planned again (SQLite spends more on parsing an
/// INSERT of this width than on executing it). Only for a connection one thread uses at a time.
/// </summary>
internal sealed class PreparedCommands : IDisposable
{
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

    public DbCommand Get(DbConnection connection, DbTransaction? transaction, string sql, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (!_commands.TryGetValue(sql, out DbCommand? command) || command.Parameters.Count != parameters.Length)
        {
            command?.Dispose();
            command = SqlCommands.Create(connection, transaction, sql, parameters);
            _commands[sql] = command;
            return command;
        }

        command.Transaction = transaction;
        foreach ((string name, object? value) in parameters)
        {
            command.Parameters[name].Value = value ?? DBNull.Value;
        }

        return command;
    }

    public void Dispose()
    {
        foreach (DbCommand command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }
}
