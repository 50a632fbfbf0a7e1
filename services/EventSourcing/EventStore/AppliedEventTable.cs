using Weasel.Core;
using Weasel.Postgresql.Tables;

namespace CustomerSuccess.EventSourcing.EventStore;

/// <summary>
/// The applied-id ledger's table in the service's schema: <c>applied_events (id text primary key, applied_at
/// timestamptz)</c>, indexed on <c>applied_at</c> for pruning. A Weasel schema object of the store, so <c>db apply</c>
/// creates it and the Production schema check knows it. Created in a schema that still holds the ledger of earlier
/// versions (one Marten document per id, <c>mt_doc_appliedevent</c>), it copies those ids over in the same migration,
/// so an upgrade neither re-applies a redelivered event nor needs the old table at run time; the old table is left as it
/// was (a rollback to the earlier version still finds it) and may be dropped once no earlier version runs.
/// </summary>
public sealed class AppliedEventTable : Table
{
    public const string TableName = "applied_events";

    /// <summary>The Marten document table of the ledger before this table existed.</summary>
    public const string LegacyDocumentTable = "mt_doc_appliedevent";

    public AppliedEventTable(string schema) : base(QualifiedName(schema))
    {
        AddColumn("id", "text").AsPrimaryKey();
        AddColumn("applied_at", "timestamp with time zone").NotNull();
        Indexes.Add(new IndexDefinition($"ix_{TableName}_applied_at") { Columns = ["applied_at"] });
    }

    public static string QualifiedName(string schema) => $"{schema}.{TableName}";

    public override void WriteCreateStatement(Migrator migrator, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        base.WriteCreateStatement(migrator, writer);
        var legacy = $"{Identifier.Schema}.{LegacyDocumentTable}";
        writer.WriteLine();
        writer.WriteLine($"""
            DO $ledger_copy$
            BEGIN
              IF to_regclass('{legacy}') IS NOT NULL THEN
                EXECUTE 'INSERT INTO {Identifier.QualifiedName} (id, applied_at) SELECT id, coalesce((data ->> ''AppliedAt'')::timestamptz, mt_last_modified) FROM {legacy} ON CONFLICT (id) DO NOTHING';
              END IF;
            END
            $ledger_copy$;
            """);
    }
}
