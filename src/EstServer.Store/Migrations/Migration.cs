namespace EstServer.Store.Migrations;

/// <summary>One numbered schema script (<c>NNNN_name.sql</c>): applied once, in order, and recorded in <c>schema_migrations</c>.</summary>
internal sealed record Migration(int Version, string Name, string Sql);
