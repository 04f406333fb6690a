using System.Data.Common;

namespace EstServer.Store.Sql;

/// <summary>A command for one use: disposed after it unless it belongs to the connection's <see cref="PreparedCommands"/>.</summary>
internal readonly struct CommandLease(DbCommand command, bool owned) : IDisposable
{
    public DbCommand Command => command;

    public void Dispose()
    {
        if (owned)
        {
            command.Dispose();
        }
    }
}
