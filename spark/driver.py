"""
The long-lived PySpark driver of Invoice Pulse (ANALYSIS_ENGINE=spark, issue 14).

The service starts this process once and sends it jobs as JSON lines on stdin; each answer is one
JSON line on the protocol descriptor. Keeping one driver (one SparkSession, one application on the
cluster) pays the JVM start-up and executor allocation once instead of per job, which is what makes
a dashboard's few base builds per data change acceptable; see spark/README.md.

A job carries only rendered Spark SQL (service/spark/render.ts renders the one DuckDB source of each
statement), its bound parameters, the small tables the statements join (the payment-method map), and
where to write the result. The driver reads the events from the Hive-partitioned lake, defines the
derived facts as views, runs the query and writes its rows as Parquet for the service to read back.
It holds no SQL of its own, so there is nothing here that can drift from queries/.
"""
import json
import os
import sys
import threading
import time
import traceback
import urllib.request

# The protocol descriptor: whatever else writes to stdout (py4j, the JVM) goes to stderr instead.
PROTOCOL = os.fdopen(os.dup(1), "w", buffering=1)
os.dup2(2, 1)
sys.stdout = sys.stderr

from pyspark.sql import SparkSession  # noqa: E402  (after the redirect on purpose)


def session():
    master = os.environ.get("SPARK_MASTER", "local[*]")
    builder = (
        SparkSession.builder.master(master)
        .appName(os.environ.get("SPARK_APP_NAME", "invoice-pulse"))
        # Both engines compute in UTC (DuckDB's session is UTC too), so dates and years agree.
        .config("spark.sql.session.timeZone", "UTC")
        # `alias.* EXCLUDE (c)` is rendered as a quoted regex column (render.ts).
        .config("spark.sql.parser.quotedRegexColumnNames", "true")
        # DuckDB reads these as TIMESTAMPTZ; Spark's default INT96 would need a conversion.
        .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
        .config("spark.sql.shuffle.partitions", os.environ.get("SPARK_SHUFFLE_PARTITIONS", "16"))
        .config("spark.sql.adaptive.enabled", "true")
        # The follower writes one file per partition per batch, so the lake has many small files:
        # a low estimated cost of opening one packs them into few tasks (the default, 4 MiB,
        # made one task per file of the small sample).
        .config("spark.sql.files.openCostInBytes", "131072")
    )
    for pair in filter(None, (os.environ.get("SPARK_CONF") or "").split(",")):
        key, _, value = pair.partition("=")
        builder = builder.config(key.strip(), value.strip())
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel(os.environ.get("SPARK_LOG_LEVEL", "WARN"))
    return spark


def bind(params):
    # Values arrive as JSON scalars; timestamps and dates as ISO text the SQL casts itself.
    return {k: v for k, v in (params or {}).items()}


def register_lake(spark, lake):
    # The lake root: year=/month=/type= are discovered as columns; _staging, _manifests and
    # _results start with an underscore, which Spark's file listing skips.
    events = spark.read.option("basePath", lake).parquet(lake)
    events.createOrReplaceTempView("events")
    return events


# Views kept between jobs while the lake and their definition are unchanged: the derived facts do
# not depend on a job's window, so the bases of one dashboard view share one computation of them.
CACHED = {}


def run_job(spark, job):
    started = time.time()
    lake_key = (job["lake"], job.get("lake_version"))
    if CACHED.get("events") != lake_key:
        for name, (_, df) in list(CACHED.items()):
            if name != "events":
                df.unpersist()
        CACHED.clear()
        register_lake(spark, job["lake"])
        CACHED["events"] = lake_key
    for name, table in (job.get("tables") or {}).items():
        spark.createDataFrame(table["rows"], table["schema"]).createOrReplaceTempView(name)
    for view in job.get("views") or []:
        key = json.dumps([view["sql"], view.get("params"), view.get("columns")])
        if view.get("cache") and view["name"] in CACHED and CACHED[view["name"]][0] == key:
            continue
        df = spark.sql(view["sql"], args=bind(view.get("params")))
        if view.get("columns"):
            df = df.toDF(*view["columns"])
        if view.get("cache"):
            if view["name"] in CACHED:
                CACHED[view["name"]][1].unpersist()
            df = df.cache()
            CACHED[view["name"]] = (key, df)
        df.createOrReplaceTempView(view["name"])
    query = job["query"]
    result = spark.sql(query["sql"], args=bind(query.get("params")))
    result.write.mode("overwrite").parquet(job["out"])
    return {"ms": round((time.time() - started) * 1000, 1)}


def executors(spark):
    """Per-executor task counts from the driver's own status API (which worker did the work)."""
    sc = spark.sparkContext
    url = sc.uiWebUrl
    if not url:
        return []
    with urllib.request.urlopen(f"{url}/api/v1/applications/{sc.applicationId}/allexecutors", timeout=60) as r:
        rows = json.loads(r.read())
    return [
        {
            "id": e["id"],
            "hostPort": e.get("hostPort"),
            "isActive": e.get("isActive"),
            "totalTasks": e.get("totalTasks", 0),
            "completedTasks": e.get("completedTasks", 0),
            "failedTasks": e.get("failedTasks", 0),
            "activeTasks": e.get("activeTasks", 0),
            "logs": e.get("executorLogs", {}),
        }
        for e in rows
    ]


ANSWER_LOCK = threading.Lock()
# One job at a time (each is spread over the whole cluster, and jobs share the temp views of the
# session); status requests run beside a job, so a caller can watch it.
JOB_LOCK = threading.Lock()
SESSION_LOCK = threading.Lock()
STATE = {"spark": None}


def answer(message):
    with ANSWER_LOCK:
        PROTOCOL.write(json.dumps(message, default=str) + "\n")
        PROTOCOL.flush()


def get_spark():
    with SESSION_LOCK:
        if STATE["spark"] is None:
            STATE["spark"] = session()
        return STATE["spark"]


def handle(request):
    rid = request.get("id")
    op = request.get("op")
    try:
        spark = get_spark()
        if op == "ping":
            sc = spark.sparkContext
            answer({"id": rid, "ok": True, "result": {"version": spark.version, "master": sc.master, "appId": sc.applicationId, "ui": sc.uiWebUrl}})
        elif op == "job":
            with JOB_LOCK:
                answer({"id": rid, "ok": True, "result": run_job(spark, request["job"])})
        elif op == "executors":
            answer({"id": rid, "ok": True, "result": executors(spark)})
        elif op == "count":
            # Read-back check of the lake: rows and distinct event ids, as Spark sees them.
            with JOB_LOCK:
                CACHED.clear()
                df = register_lake(spark, request["lake"])
                row = df.selectExpr("count(*) AS n", "count(DISTINCT event_id) AS ids").collect()[0]
            answer({"id": rid, "ok": True, "result": {"rows": row["n"], "ids": row["ids"]}})
        else:
            answer({"id": rid, "ok": False, "error": f"unknown op {op}"})
    except Exception as error:  # the service turns this into a domain error; details stay in its log
        for line in traceback.format_exc().splitlines():
            print(f"ERROR driver: {line}", file=sys.stderr)
        answer({"id": rid, "ok": False, "error": f"{type(error).__name__}: {str(error)[:2000]}"})


def main():
    stop_id = None
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        if request.get("op") == "stop":
            stop_id = request.get("id")
            break
        threading.Thread(target=handle, args=(request,), daemon=True).start()
    # A stop, or stdin closed because the service is gone: leave the cluster cleanly.
    with JOB_LOCK:
        if STATE["spark"] is not None:
            STATE["spark"].stop()
    if stop_id is not None:
        answer({"id": stop_id, "ok": True})


if __name__ == "__main__":
    main()
