namespace EstServer.Store.Sql;

/// <summary>
/// What a write transaction serialises on beyond the rows it touches. SQLite needs none of these (one
/// writer at a time, BEGIN IMMEDIATE); PostgreSQL takes a transaction-scoped advisory lock per key.
/// Always taken in this order (device, request, issuer), so two transactions never wait on each other in a circle.
/// </summary>
internal enum StoreLock
{
    /// <summary>Recording for a device and blocking it exclude each other, so a block never misses a certificate being recorded.</summary>
    Device = 1,

    /// <summary>Two signers recording for one request id: the second sees the first's certificate.</summary>
    Request = 2,

    /// <summary>An issuer's revocations commit in revision order, so a CRL covering revision N lacks none below it.</summary>
    Issuer = 3,
}
