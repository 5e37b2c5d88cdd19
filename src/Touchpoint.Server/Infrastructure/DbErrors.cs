using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Touchpoint.Server.Infrastructure;

/// <summary>
/// Which database failures are a lost race the caller can be told about; every other failure is a real error
/// (a 500 with a trace id and a log line), never a business message.
/// </summary>
public static class DbErrors
{
    /// <summary>A unique index said no (PostgreSQL 23505; SQLite constraint codes 2067 unique, 1555 primary key).</summary>
    public static bool IsUniqueViolation(this DbUpdateException e) => e.InnerException switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };

    /// <summary>A unique index or an optimistic concurrency token said no.</summary>
    public static bool IsLostRace(this DbUpdateException e) => e is DbUpdateConcurrencyException || e.IsUniqueViolation();
}
