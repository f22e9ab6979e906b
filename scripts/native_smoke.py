#!/usr/bin/env python3
"""A smoke test of a Sibyl node's CQL native protocol with a second driver: the DataStax Python driver
(Debian package python3-cassandra, 3.25). Connects, creates a keyspace and table, inserts with a
prepared statement, reads back, pages through a partition, and checks the driver's schema metadata; then
what cqlsh needs of the server (cqlsh itself is not installed here: CqlshTest runs it where it is): the
system keyspaces in the driver's metadata, a SELECT of chosen columns of system.local, server-side DESCRIBE
(cqlsh 6 sends it to Cassandra 4+ servers) and the server's syntax error.

Usage: python3 scripts/native_smoke.py HOST PORT [KEYSPACE]
Exit status 0 when every check passed; the failing check otherwise (and a traceback).
"""
import sys
import time

from cassandra import ConsistencyLevel, InvalidRequest
from cassandra.protocol import SyntaxException
from cassandra.cluster import Cluster, ExecutionProfile, EXEC_PROFILE_DEFAULT
from cassandra.policies import RoundRobinPolicy
from cassandra.query import SimpleStatement


def check(condition, what):
    if not condition:
        raise AssertionError(what)
    print("ok   " + what, flush=True)


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    host, port = sys.argv[1], int(sys.argv[2])
    ks = sys.argv[3] if len(sys.argv) > 3 else "py_smoke"
    profile = ExecutionProfile(load_balancing_policy=RoundRobinPolicy(), request_timeout=30,
                               consistency_level=ConsistencyLevel.ONE)
    cluster = Cluster([host], port=port, execution_profiles={EXEC_PROFILE_DEFAULT: profile},
                      connect_timeout=20, control_connection_timeout=20)
    session = cluster.connect()
    try:
        print("connected with protocol v%d" % cluster.protocol_version, flush=True)
        local = session.execute("SELECT cluster_name, release_version, partitioner FROM system.local").one()
        check(local.partitioner.endswith("Murmur3Partitioner"), "system.local answers (partitioner %s)" % local.partitioner)

        session.execute("CREATE KEYSPACE IF NOT EXISTS %s WITH replication = "
                        "{'class': 'SimpleStrategy', 'replication_factor': 1}" % ks)
        session.execute("CREATE TABLE IF NOT EXISTS %s.events (k int, c int, v text, PRIMARY KEY (k, c))" % ks)
        session.set_keyspace(ks)

        insert = session.prepare("INSERT INTO events (k, c, v) VALUES (?, ?, ?)")
        for c in range(120):
            session.execute(insert, (1, c, "value-%d" % c))
        check(True, "120 prepared inserts")

        one = session.execute(session.prepare("SELECT v FROM events WHERE k = ? AND c = ?"), (1, 42)).one()
        check(one is not None and one.v == "value-42", "prepared select finds the row")

        paged = session.execute(SimpleStatement("SELECT c FROM events WHERE k = 1", fetch_size=25))
        first_page = len(paged.current_rows)
        cs = [row.c for row in paged]
        check(first_page == 25 and cs == list(range(120)), "paging: 25 rows per page, 120 rows in order")

        lwt = session.execute("INSERT INTO events (k, c, v) VALUES (2, 0, 'x') IF NOT EXISTS")
        check(lwt.was_applied, "a lightweight transaction applies")

        meta = cluster.metadata
        deadline = time.time() + 20
        while ks not in meta.keyspaces and time.time() < deadline:
            time.sleep(0.2)
            cluster.refresh_schema_metadata()
        table = meta.keyspaces[ks].tables.get("events")
        check(table is not None and [c.name for c in table.partition_key] == ["k"]
              and [c.name for c in table.clustering_key] == ["c"], "schema metadata: keyspace, table, keys")
        check("CREATE TABLE %s.events" % ks in table.export_as_string(), "DESCRIBE-style export of the table")
        check(len(meta.all_hosts()) >= 1, "ring metadata: %d host(s)" % len(meta.all_hosts()))

        # What cqlsh asks of the server
        local = session.execute("SELECT release_version, cql_version FROM system.local")
        check(list(local.column_names) == ["release_version", "cql_version"],
              "a SELECT of system.local returns the chosen columns (%s)" % (local.column_names,))
        system = meta.keyspaces.get("system")
        check(system is not None and "local" in system.tables
              and [c.name for c in system.tables["local"].partition_key] == ["key"],
              "the system keyspace and system.local are in the driver's metadata (cqlsh prints a SELECT with it)")
        names = [r.name for r in session.execute("DESCRIBE KEYSPACES")]
        check(ks in names and "system" in names and "system_schema" in names, "DESCRIBE KEYSPACES: %s" % names)
        create = session.execute("DESCRIBE TABLE %s.events" % ks).one().create_statement
        check(create.startswith("CREATE TABLE %s.events (" % ks) and "CLUSTERING ORDER BY (c ASC)" in create,
              "DESCRIBE TABLE gives the CREATE TABLE text")
        kinds = [r.type for r in session.execute("DESCRIBE KEYSPACE %s" % ks)]
        check(kinds[0] == "keyspace" and "table" in kinds, "DESCRIBE KEYSPACE: the keyspace, then its tables")
        cluster_row = session.execute("DESCRIBE CLUSTER").one()
        check(cluster_row.cluster == meta.cluster_name and cluster_row.partitioner.endswith("Murmur3Partitioner"),
              "DESCRIBE CLUSTER names the cluster and partitioner")
        try:
            session.execute("DESCRIBE TABLE %s.nope" % ks)
            check(False, "DESCRIBE of a missing table fails")
        except InvalidRequest as e:
            check("not found" in str(e), "DESCRIBE of a missing table: %s" % e)
        try:
            session.execute("SELEC * FROM %s.events" % ks)
            check(False, "a syntax error fails")
        except SyntaxException as e:
            check("SELEC" in str(e), "the server's syntax error: %s" % e)
    finally:
        cluster.shutdown()
    print("native protocol smoke test passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
