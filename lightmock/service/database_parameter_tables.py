"""The parameters of each database engine, as GetRelationalDatabaseParameters lists them
(docs/service-reference.md §20.6): a few dozen of the ones RDS's default parameter groups
for MySQL 8.0 and PostgreSQL hold, with RDS's apply types, data types, allowed values and
defaults (formulas such as ``{DBInstanceClassMemory*3/4}`` where RDS writes one; no value
where RDS leaves the engine's default). The aws-cli ``get-relational-database-parameters``
example shows the record: ``allowedValues`` (``0,1``), ``applyMethod`` (``pending-reboot``),
``applyType`` (``dynamic`` or ``static``), ``dataType`` (``boolean``), ``description``,
``isModifiable``, ``parameterName``, ``parameterValue`` (absent when unset). The
descriptions are lightmock's own words.

``allowedValues`` is one of: a comma-separated list of values (a ``list`` parameter takes a
comma-separated subset), a range ``low-high`` of numbers (``-1-2147483647`` starts at -1), or
``.*`` for any text.
"""

from __future__ import annotations

from dataclasses import dataclass

from lightmock.core.wire import Wire


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    value: str | None
    allowed: str
    apply_type: str  # "dynamic" or "static"
    data_type: str  # "boolean", "integer", "float", "string" or "list"
    modifiable: bool
    description: str

    def wire(self, value: str | None, method: str) -> Wire:
        record: Wire = {
            "allowedValues": self.allowed,
            "applyMethod": method,
            "applyType": self.apply_type,
            "dataType": self.data_type,
            "description": self.description,
            "isModifiable": self.modifiable,
            "parameterName": self.name,
        }
        if value is not None:
            record["parameterValue"] = value
        return record


_D, _S = "dynamic", "static"
_BOOL = "0,1"
_CHARSETS = (
    "armscii8,ascii,big5,binary,cp1250,cp1251,cp1256,cp1257,cp850,cp852,cp866,cp932,dec8,eucjpms,euckr,gb18030,"
    "gb2312,gbk,geostd8,greek,hebrew,hp8,keybcs2,koi8r,koi8u,latin1,latin2,latin5,latin7,macce,macroman,sjis,swe7,"
    "tis620,ucs2,ujis,utf16,utf16le,utf32,utf8mb3,utf8mb4"
)
_SQL_MODES = (
    "ALLOW_INVALID_DATES,ANSI_QUOTES,ERROR_FOR_DIVISION_BY_ZERO,HIGH_NOT_PRECEDENCE,IGNORE_SPACE,"
    "NO_AUTO_VALUE_ON_ZERO,NO_BACKSLASH_ESCAPES,NO_DIR_IN_CREATE,NO_ENGINE_SUBSTITUTION,NO_UNSIGNED_SUBTRACTION,"
    "NO_ZERO_DATE,NO_ZERO_IN_DATE,ONLY_FULL_GROUP_BY,PAD_CHAR_TO_FULL_LENGTH,PIPES_AS_CONCAT,REAL_AS_FLOAT,"
    "STRICT_ALL_TABLES,STRICT_TRANS_TABLES,TIME_TRUNCATE_FRACTIONAL"
)
_TIME_ZONES = (
    "UTC,Africa/Cairo,America/Chicago,America/Denver,America/Los_Angeles,America/New_York,America/Sao_Paulo,"
    "Asia/Kolkata,Asia/Seoul,Asia/Singapore,Asia/Tokyo,Australia/Sydney,Europe/Berlin,Europe/London,Europe/Paris"
)

MYSQL: tuple[Parameter, ...] = (
    Parameter("activate_all_roles_on_login", "0", _BOOL, _D, "boolean", True,
              "Makes every role granted to a user active when the user logs in."),
    Parameter("allow-suspicious-udfs", None, _BOOL, _S, "boolean", False,
              "Whether user-defined functions with only an xxx symbol for the main function may be loaded."),
    Parameter("auto_generate_certs", None, _BOOL, _S, "boolean", False,
              "Whether the server creates SSL key and certificate files in the data directory when none exist."),
    Parameter("autocommit", None, _BOOL, _D, "boolean", True, "The autocommit mode of new sessions."),
    Parameter("basedir", "/rdsdbbin/mysql", ".*", _S, "string", False, "The directory MySQL is installed in."),
    Parameter("binlog_format", "ROW", "ROW,STATEMENT,MIXED", _D, "string", True, "The binary logging format."),
    Parameter("character_set_server", None, _CHARSETS, _D, "string", True, "The server's default character set."),
    Parameter("connect_timeout", None, "2-31536000", _D, "integer", True,
              "Seconds the server waits for a connect packet before answering Bad handshake."),
    Parameter("datadir", "/rdsdbdata/db/", ".*", _S, "string", False, "The data directory."),
    Parameter("default_authentication_plugin", None, "mysql_native_password,sha256_password,caching_sha2_password",
              _S, "string", True, "The authentication plugin of new accounts that name none."),
    Parameter("event_scheduler", None, "ON,OFF", _D, "string", True, "Whether the event scheduler runs."),
    Parameter("general_log", None, _BOOL, _D, "boolean", True, "Whether the general query log is written."),
    Parameter("innodb_buffer_pool_size", "{DBInstanceClassMemory*3/4}", "0-9223372036854775807", _D, "integer",
              True, "Bytes of memory InnoDB caches table and index data in."),
    Parameter("innodb_file_per_table", "1", _BOOL, _D, "boolean", True,
              "Whether each InnoDB table is stored in a file of its own."),
    Parameter("innodb_flush_log_at_trx_commit", "1", "0,1,2", _D, "integer", True,
              "How the log is written and flushed at each commit: 1 for full durability."),
    Parameter("innodb_lock_wait_timeout", None, "1-1073741824", _D, "integer", True,
              "Seconds a transaction waits for a row lock before giving up."),
    Parameter("innodb_log_buffer_size", "8388608", "262144-4294967295", _S, "integer", True,
              "Bytes of the buffer InnoDB writes log files from."),
    Parameter("local_infile", "1", _BOOL, _D, "boolean", True, "Whether LOAD DATA LOCAL is allowed."),
    Parameter("log_bin_trust_function_creators", None, _BOOL, _D, "boolean", True,
              "Whether stored functions may be created without the SUPER privilege while binary logging is on."),
    Parameter("log_output", "TABLE", "TABLE,FILE,NONE", _D, "string", True,
              "Where the general and slow query logs go."),
    Parameter("long_query_time", None, "0-31536000", _D, "float", True,
              "Seconds after which a query counts as slow and is written to the slow query log."),
    Parameter("lower_case_table_names", None, "0,1", _S, "integer", False,
              "Whether table names are stored in lower case and compared without regard to case."),
    Parameter("max_allowed_packet", None, "1024-1073741824", _D, "integer", True,
              "The largest packet or generated string, in bytes."),
    Parameter("max_connections", "{DBInstanceClassMemory/12582880}", "1-100000", _D, "integer", True,
              "The most client connections at once."),
    Parameter("performance_schema", "0", _BOOL, _S, "boolean", True, "Whether the Performance Schema is on."),
    Parameter("port", "{EndPointPort}", "0-65535", _S, "integer", False,
              "The port the server listens on for TCP/IP connections."),
    Parameter("require_secure_transport", None, _BOOL, _D, "boolean", True,
              "Whether client connections must use a secure transport."),
    Parameter("skip_name_resolve", "1", _BOOL, _S, "boolean", True,
              "Whether host names are left unresolved when checking client connections."),
    Parameter("slow_query_log", None, _BOOL, _D, "boolean", True, "Whether the slow query log is written."),
    Parameter("sql_mode", None, _SQL_MODES, _D, "list", True, "The SQL modes of the server."),
    Parameter("table_open_cache", None, "1-524288", _D, "integer", True, "The number of open tables for all threads."),
    Parameter("time_zone", None, _TIME_ZONES, _D, "string", True, "The server's time zone."),
    Parameter("tls_version", None, "TLSv1.2,TLSv1.3", _S, "list", True,
              "The TLS protocols the server allows for encrypted connections."),
    Parameter("transaction_isolation", None, "READ-UNCOMMITTED,READ-COMMITTED,REPEATABLE-READ,SERIALIZABLE", _D,
              "string", True, "The default transaction isolation level."),
    Parameter("wait_timeout", None, "1-31536000", _D, "integer", True,
              "Seconds the server waits for activity on a non-interactive connection before closing it."),
)  # fmt: skip

POSTGRES: tuple[Parameter, ...] = (
    Parameter("application_name", None, ".*", _D, "string", True,
              "The application name reported in statistics and logs."),
    Parameter("archive_timeout", "300", "0-1073741823", _D, "integer", False,
              "Seconds after which a switch to a new write-ahead log file is forced."),
    Parameter("autovacuum", "1", _BOOL, _D, "boolean", True, "Whether the autovacuum launcher runs."),
    Parameter("autovacuum_max_workers", "{GREATEST(DBInstanceClassMemory/64371566592,3)}", "1-20", _S, "integer",
              True, "The most autovacuum worker processes at once."),
    Parameter("autovacuum_naptime", "15", "1-2147483", _D, "integer", True,
              "Seconds between autovacuum runs on any one database."),
    Parameter("checkpoint_timeout", "300", "30-86400", _D, "integer", True,
              "Seconds between automatic write-ahead log checkpoints."),
    Parameter("client_encoding", None, "BIG5,EUC_CN,EUC_JP,EUC_KR,GBK,LATIN1,LATIN2,SJIS,SQL_ASCII,UTF8,WIN1252",
              _D, "string", True, "The client-side character set."),
    Parameter("data_directory", "/rdsdbdata/db", ".*", _S, "string", False, "The data directory."),
    Parameter("datestyle", "iso, mdy", ".*", _D, "string", True, "The display format of dates and times."),
    Parameter("default_transaction_isolation", None, "serializable,repeatable read,read committed,read uncommitted",
              _D, "string", True, "The isolation level of each new transaction."),
    Parameter("effective_cache_size", "{DBInstanceClassMemory/16384}", "1-2147483647", _D, "integer", True,
              "What the planner assumes of the disk cache, in 8 kB pages."),
    Parameter("idle_in_transaction_session_timeout", None, "0-2147483647", _D, "integer", True,
              "Milliseconds after which a session idle within a transaction is ended; 0 never ends one."),
    Parameter("log_connections", None, _BOOL, _D, "boolean", True, "Whether each successful connection is logged."),
    Parameter("log_disconnections", None, _BOOL, _D, "boolean", True, "Whether the end of each session is logged."),
    Parameter("log_min_duration_statement", None, "-1-2147483647", _D, "integer", True,
              "Milliseconds from which a statement's duration is logged; -1 logs none."),
    Parameter("log_statement", None, "none,ddl,mod,all", _D, "string", True, "Which statements are logged."),
    Parameter("maintenance_work_mem", "GREATEST({DBInstanceClassMemory*1024/63963136},65536)", "1024-2147483647",
              _D, "integer", True, "Kilobytes of memory maintenance operations such as VACUUM may use."),
    Parameter("max_connections", "LEAST({DBInstanceClassMemory/9531392},5000)", "6-262143", _S, "integer", True,
              "The most connections at once."),
    Parameter("max_wal_size", "2048", "2-2147483647", _D, "integer", True,
              "Megabytes the write-ahead log may grow to between automatic checkpoints."),
    Parameter("password_encryption", "scram-sha-256", "md5,scram-sha-256", _D, "string", True,
              "How passwords are encrypted when set."),
    Parameter("port", "{EndPointPort}", "1-65535", _S, "integer", False, "The port the server listens on."),
    Parameter("random_page_cost", None, "0-2147483647", _D, "float", True,
              "The planner's cost of a page fetched out of sequence."),
    Parameter("rds.force_ssl", "1", _BOOL, _D, "boolean", True, "Whether connections must use SSL."),
    Parameter("search_path", None, ".*", _D, "string", True,
              "The schemas searched for names that name no schema."),
    Parameter("shared_buffers", "{DBInstanceClassMemory/32768}", "16-1073741823", _S, "integer", True,
              "The memory of the shared buffer cache, in 8 kB pages."),
    Parameter("shared_preload_libraries", "pg_stat_statements",
              "auto_explain,orafce,pg_cron,pg_hint_plan,pg_prewarm,pg_stat_statements,pgaudit,pglogical", _S, "list",
              True, "The libraries loaded when the server starts."),
    Parameter("ssl", "1", _BOOL, _D, "boolean", False, "Whether SSL connections are accepted."),
    Parameter("statement_timeout", None, "0-2147483647", _D, "integer", True,
              "Milliseconds after which a statement is cancelled; 0 never cancels one."),
    Parameter("timezone", "UTC", ".*", _D, "string", True, "The time zone of displayed and read time stamps."),
    Parameter("track_activity_query_size", "4096", "100-1048576", _S, "integer", True,
              "Bytes of each session's current query kept for statistics."),
    Parameter("wal_buffers", None, "-1-262143", _S, "integer", True,
              "Write-ahead log buffers in shared memory, in 8 kB pages; -1 sizes them from shared_buffers."),
    Parameter("work_mem", None, "64-2147483647", _D, "integer", True,
              "Kilobytes of memory each sort or hash may use before writing to disk."),
)  # fmt: skip

#: The parameters of each engine, by engine.
TABLES: dict[str, tuple[Parameter, ...]] = {"mysql": MYSQL, "postgres": POSTGRES}
