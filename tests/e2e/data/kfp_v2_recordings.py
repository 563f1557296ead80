#!/usr/bin/env python3
# Writes the KFP 2.x recordings the tests and the quick start play, shaped as KFP's v2 compiler
# (backend/src/v2/compiler/argocompiler) and Argo's controller lay out a run, with client-go's
# event aggregation applied (from the tenth different message of a reason on, one combined Event,
# then updated in place). Deterministic: run it from the repository's root after changing it.
#
#   python3 tests/e2e/data/kfp_v2_recordings.py
#
# writes examples/events/kfp-v2-runs.jsonl and tests/e2e/data/kfp-v2-twenty-tasks.jsonl. The
# expected payloads beside them come from `kfp-eventd replay FILE --stdout`, checked by hand.
import datetime
import json
import zlib

BASE = 1795420800  # 2026-11-23T08:00:00Z
def ts(sec): return datetime.datetime.utcfromtimestamp(BASE + sec).strftime('%Y-%m-%dT%H:%M:%SZ')

def node_id(wf, name):
    return f"{wf}-{zlib.crc32(name.encode()) % 4294967291}"

class Run:
    def __init__(self, wf, uid, runid, run_name, pipeline, params, legacy_params, annotations_full, t0):
        self.wf, self.uid, self.runid, self.run_name, self.pipeline = wf, uid, runid, run_name, pipeline
        self.params, self.legacy = params, legacy_params
        self.full = annotations_full  # Argo >= 3.4 writes node-id and node-start-time
        self.t0 = t0
        self.nodes = {}   # name -> node
        self.order = []
        self.events = []  # (sec, reason, message, type, annotations)
        self.agg = {}     # reason -> list of distinct messages
        self.combined = {}  # reason -> event dict
        self.rv = 0

    def add(self, name, display, ntype, template, parent=None):
        n = {"id": node_id(self.wf, name) if name != self.wf else self.wf, "name": name,
             "displayName": display, "type": ntype, "templateName": template,
             "phase": "Pending", "startedAt": None, "finishedAt": None, "children": []}
        if parent: self.nodes[parent]["children"].append(n["id"])
        self.nodes[name] = n; self.order.append(name); return n

    def phase(self, sec, name, phase, message=""):
        n = self.nodes[name]
        if n["startedAt"] is None: n["startedAt"] = ts(sec)
        n["phase"] = phase
        if message: n["message"] = message
        if phase in ("Succeeded", "Failed", "Error", "Skipped"): n["finishedAt"] = ts(sec)
        if phase == "Skipped": return  # Argo records no Event for a node created skipped
        text = f"{phase} node {name}" + (f": {message}" if message and phase != "Running" else "")
        ann = {"workflows.argoproj.io/node-name": name, "workflows.argoproj.io/node-type": n["type"]}
        if self.full:
            ann["workflows.argoproj.io/node-id"] = n["id"]
            start = int(datetime.datetime.strptime(n["startedAt"], '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=datetime.timezone.utc).timestamp())
            ann["workflows.argoproj.io/node-start-time"] = f"{start}000000000"
        self.event(sec, "WorkflowNode" + phase, text, "Normal" if phase in ("Running", "Succeeded") else "Warning", ann)

    def event(self, sec, reason, message, etype, ann):
        self.events.append((sec, reason, message, etype, ann))

    def start(self, t0):
        """The workflow's start: its top DAG, the root driver, then the root DAG; returns root."""
        self.event(t0, "WorkflowRunning", "Workflow Running", "Normal", None)
        self.add(self.wf, self.wf, "DAG", "entrypoint"); self.phase(t0, self.wf, "Running")
        driver = f"{self.wf}.root-driver"
        self.add(driver, "root-driver", "Pod", "system-dag-driver", self.wf)
        self.phase(t0 + 1, driver, "Running"); self.phase(t0 + 3, driver, "Succeeded")
        root = f"{self.wf}.root"
        self.add(root, "root", "DAG", "root", self.wf); self.phase(t0 + 4, root, "Running")
        return root

    def fail(self, sec, failed_child):
        """root and the top DAG fail after `failed_child`; returns the workflow's message."""
        root = f"{self.wf}.root"
        self.phase(sec, root, "Failed", f"child '{failed_child}' failed")
        message = f"child '{self.nodes[root]['id']}' failed"
        self.phase(sec + 1, self.wf, "Failed", message)
        self.event(sec + 1, "WorkflowFailed", message, "Warning", None)
        return message

def render(run, seq, out):
    """Kubernetes Events for a run's records, with client-go's aggregation."""
    distinct = {}
    combined = {}
    for i, (sec, reason, message, etype, ann) in enumerate(run.events):
        seq[0] += 1
        rv = str(60000 + seq[0])
        key = (reason, etype)
        seen = distinct.setdefault(key, [])
        if message not in seen: seen.append(message)
        meta = {"name": f"{run.wf}.{zlib.crc32(f'{i}{message}'.encode()):016x}"[:len(run.wf)+17],
                "namespace": "kubeflow", "uid": f"7c0e2a1b-{seq[0]:04d}-4b5c-9d8e-{seq[0]:012d}",
                "resourceVersion": rv, "creationTimestamp": ts(sec)}
        involved = {"kind": "Workflow", "namespace": "kubeflow", "name": run.wf, "uid": run.uid,
                    "apiVersion": "argoproj.io/v1alpha1", "resourceVersion": "0"}
        if len(seen) < 10 and key not in combined:
            if ann: meta["annotations"] = ann
            obj = {"kind": "Event", "apiVersion": "v1", "metadata": meta, "involvedObject": involved,
                   "reason": reason, "message": message, "source": {"component": "workflow-controller"},
                   "firstTimestamp": ts(sec), "lastTimestamp": ts(sec), "count": 1, "type": etype,
                   "eventTime": None, "reportingComponent": "", "reportingInstance": ""}
            out.append({"type": "ADDED", "object": obj})
            continue
        if key not in combined:
            obj = {"kind": "Event", "apiVersion": "v1", "metadata": meta, "involvedObject": involved,
                   "reason": reason, "message": "(combined from similar events): " + message,
                   "source": {"component": "workflow-controller"},
                   "firstTimestamp": ts(sec), "lastTimestamp": ts(sec), "count": 1, "type": etype,
                   "eventTime": None, "reportingComponent": "", "reportingInstance": ""}
            combined[key] = obj
            out.append({"type": "ADDED", "object": json.loads(json.dumps(obj))})
        else:
            obj = combined[key]
            obj["metadata"]["resourceVersion"] = rv
            obj["message"] = "(combined from similar events): " + message
            obj["count"] += 1
            obj["lastTimestamp"] = ts(sec)
            out.append({"type": "MODIFIED", "object": json.loads(json.dumps(obj))})

def workflow(run, phase, message, finished):
    rc = {"parameters": {k: v for k, v in run.legacy.items()}} if run.legacy else {"parameterValues": run.params}
    templates = [
        {"name": "system-container-driver", "inputs": {"parameters": [{"name": "component"}, {"name": "task"}]}, "container": {"image": "ghcr.io/kubeflow/kfp-driver", "command": ["driver"]}},
        {"name": "system-container-executor", "inputs": {"parameters": [{"name": "pod-spec-patch"}]}, "dag": {"tasks": [{"name": "executor", "template": "system-container-impl", "arguments": {"parameters": [{"name": "pod-spec-patch", "value": "{{inputs.parameters.pod-spec-patch}}"}]}, "when": "{{inputs.parameters.cached-decision}} != true"}]}},
        {"name": "system-container-impl", "container": {"image": "gcr.io/ml-pipeline/should-be-overridden-during-runtime"}},
        {"name": "root", "dag": {"tasks": [{"name": t + "-driver", "template": "system-container-driver", "arguments": {"parameters": [{"name": "component", "value": "{{workflow.parameters.components-8d3f}}"}, {"name": "task", "value": json.dumps({"taskInfo": {"name": t}})}]}} for t in run.tasks]}},
        {"name": "system-dag-driver", "inputs": {"parameters": [{"name": "component"}, {"name": "runtime-config", "default": ""}]}, "container": {"image": "ghcr.io/kubeflow/kfp-driver", "command": ["driver"]}},
        {"name": "entrypoint", "dag": {"tasks": [
            {"name": "root-driver", "template": "system-dag-driver", "arguments": {"parameters": [
                {"name": "component", "value": "{{workflow.parameters.components-root}}"},
                {"name": "runtime-config", "value": json.dumps(rc, separators=(',', ':'))},
                {"name": "driver-type", "value": "ROOT_DAG"}]}},
            {"name": "root", "template": "root", "depends": "root-driver.Succeeded", "arguments": {"parameters": [{"name": "parent-dag-id", "value": "{{tasks.root-driver.outputs.parameters.execution-id}}"}]}}]}},
    ]
    nodes = {}
    for name in run.order:
        n = dict(run.nodes[name])
        if not n["children"]: del n["children"]
        nodes[n["id"]] = n
    return {"kind": "Workflow", "apiVersion": "argoproj.io/v1alpha1",
            "metadata": {"name": run.wf, "generateName": run.pipeline + "-", "namespace": "kubeflow", "uid": run.uid,
                         "resourceVersion": "61900", "creationTimestamp": ts(run.t0),
                         "labels": {"pipeline/runid": run.runid, "workflows.argoproj.io/completed": "true",
                                    "workflows.argoproj.io/phase": phase, "pipelines.kubeflow.org/v2_component": "true"},
                         "annotations": {"pipelines.kubeflow.org/run_name": run.run_name}},
            "spec": {"entrypoint": "entrypoint", "arguments": {"parameters": [
                        {"name": "components-8d3f0b6a2c", "value": "{\"executorLabel\":\"exec-train\",\"inputDefinitions\":{\"parameters\":{\"epochs\":{\"parameterType\":\"NUMBER_INTEGER\"}}}}"},
                        {"name": "implementations-8d3f0b6a2c", "value": "{\"image\":\"python:3.11\",\"command\":[\"sh\",\"-c\"]}"},
                        {"name": "components-root", "value": "{\"dag\":{\"tasks\":{}}}"}]},
                     "templates": templates, "serviceAccountName": "pipeline-runner"},
            "status": {"phase": phase, "startedAt": ts(run.t0), "finishedAt": ts(finished), "message": message,
                       "progress": "1/1", "nodes": nodes}}

def task(run, sec, parent, name, outcome, retry=False, cached=False, loop=""):
    """driver, then the task's executor DAG, its executor pod (and retry wrapper)."""
    p = parent
    drv = f"{p}.{name}-driver"
    run.add(drv, f"{name}-driver", "Pod", "system-container-driver", p)
    run.phase(sec, drv, "Running"); run.phase(sec + 1, drv, "Succeeded")
    t = f"{p}.{name}"
    template = "retry-system-container-executor" if retry else "system-container-executor"
    run.add(t, name, "DAG", template, p)
    run.phase(sec + 2, t, "Running")
    ex = f"{t}.executor"
    impl = "retry-system-container-impl" if retry else "system-container-impl"
    if cached:
        run.add(ex, "executor", "Skipped", impl, t)
        run.phase(sec + 2, ex, "Skipped", "when 'true != true' evaluated false")
        run.phase(sec + 3, t, "Succeeded")
        return sec + 4, None
    if retry:
        run.add(ex, "executor", "Retry", impl, t)
        run.phase(sec + 2, ex, "Running")
        attempts = outcome if isinstance(outcome, list) else [outcome]
        s = sec + 3
        for i, (ph, msg) in enumerate(attempts):
            a = f"{ex}({i})"
            run.add(a, f"executor({i})", "Pod", impl, ex)
            run.phase(s, a, "Running"); run.phase(s + 5, a, ph, msg); s += 6
        last_ph = attempts[-1][0]
        run.phase(s, ex, last_ph, "No more retries left" if last_ph != "Succeeded" else "")
    else:
        run.add(ex, "executor", "Pod", impl, t)
        ph, msg = outcome
        run.phase(sec + 3, ex, "Running"); run.phase(sec + 8, ex, ph, msg); s = sec + 9
        last_ph = ph
    child = run.nodes[ex]["id"]
    run.phase(s, t, last_ph, "" if last_ph == "Succeeded" else f"child '{child}' failed")
    return s + 1, run.nodes[t]["id"] if last_ph != "Succeeded" else None

out = []
seq = [0]

# Run 1: KFP 2.17 shape (Argo 4.0: all four annotations, retry wrappers): preprocess and featurize
# succeed, train fails twice (exit 137, then exit 1).
a = Run("churn-pipeline-q8x2z", "c3a8e1f2-5b6d-4e7f-8a9b-0c1d2e3f4a5b", "5e0f7d2a-8c1b-4f3e-9a6d-7b2c1e0f9a8d",
        "churn weekly", "churn-pipeline", {"dataset": "gs://churn/2026-11.csv", "epochs": 10, "learning_rate": 0.05, "use_gpu": False}, None, True, 0)
a.tasks = ["preprocess", "featurize", "train"]
root = a.start(0)
s, _ = task(a, 5, root, "preprocess", [("Succeeded", "")], retry=True)
s, _ = task(a, s, root, "featurize", [("Succeeded", "")], retry=True)
s, failed = task(a, s, root, "train", [("Failed", "Error (exit code 137)"), ("Failed", "Error (exit code 1)")], retry=True)
message = a.fail(s, failed)
render(a, seq, out)
wf_a = workflow(a, "Failed", message, s + 1)

# Run 2: KFP 2.0 shape (Argo 3.3: node-name and node-type only, older runtime-config): load-data
# is cached (its executor is created Skipped, with no Event), then a ParallelFor runs evaluate
# for two items.
b = Run("sweep-pipeline-m4k7p", "d4b9f2a3-6c7e-4f8a-9b0c-1d2e3f4a5b6c", "6f1a8e3b-9d2c-4a5f-8b7e-3c4d5e6f7a8b",
        "", "sweep-pipeline", None, {"model": {"stringValue": "xgboost"}, "folds": {"intValue": "5"}}, False, 200)
b.tasks = ["load-data", "for-loop-2"]
t0 = 200
root = b.start(t0)
s, _ = task(b, t0 + 5, root, "load-data", None, cached=True)
loop = f"{root}.for-loop-2"
b.add(loop, "for-loop-2", "DAG", "comp-for-loop-2-for-loop-2-iterator", root); b.phase(s, loop, "Running")
idrv = f"{loop}.iteration-driver"
b.add(idrv, "iteration-driver", "Pod", "system-dag-driver", loop)
b.phase(s + 1, idrv, "Running"); b.phase(s + 2, idrv, "Succeeded")
s += 3
iters = []
for i in range(2):
    it = f"{loop}.iteration-iterations({i}:{i})"
    b.add(it, f"iteration-iterations({i}:{i})", "DAG", "comp-for-loop-2-iteration", loop); b.phase(s, it, "Running")
    d = f"{it}.iteration-item-driver"
    b.add(d, "iteration-item-driver", "Pod", "system-dag-driver", it); b.phase(s + 1, d, "Running"); b.phase(s + 2, d, "Succeeded")
    item = f"{it}.iteration-item"
    b.add(item, "iteration-item", "DAG", "comp-for-loop-2", it); b.phase(s + 3, item, "Running")
    s, _ = task(b, s + 4, item, "evaluate", ("Succeeded", ""))
    b.phase(s, item, "Succeeded"); b.phase(s + 1, it, "Succeeded"); s += 2
b.phase(s, loop, "Succeeded"); b.phase(s + 1, root, "Succeeded"); b.phase(s + 2, b.wf, "Succeeded")
b.event(s + 2, "WorkflowSucceeded", "Workflow completed", "Normal", None)
render(b, seq, out)
wf_b = workflow(b, "Succeeded", "", s + 2)

HEADER = """# A recorded Kubernetes watch of two Kubeflow Pipelines 2.x runs in namespace kubeflow, as the v2
# compiler lays them out (a driver, the task, its executor per task; root-driver and root above):
# churn-pipeline-q8x2z (KFP 2.17, Argo 4.0: retry wrappers; preprocess and featurize succeed,
# train fails on both attempts) and sweep-pipeline-m4k7p (KFP 2.0, Argo 3.3: node-name and
# node-type annotations only; load-data is cached, then a ParallelFor runs evaluate twice).
# From the tenth different message of a reason on, Kubernetes combined the Events into one
# ("(combined from similar events): ...", then MODIFIED with a higher count), as client-go does.
# Workflow objects at the end are what the resolver serves. Replay: kfp-eventd replay FILE --stdout
# Written by tests/e2e/data/kfp_v2_recordings.py.
"""


def write(path, header, events, workflows):
    with open(path, "w") as f:
        f.write(header)
        for line in events:
            f.write(json.dumps(line, separators=(',', ':')) + "\n")
        for w in workflows:
            f.write(json.dumps(w, separators=(',', ':')) + "\n")


write("examples/events/kfp-v2-runs.jsonl", HEADER, out, (wf_a, wf_b))

# A run of twenty independent tasks (KFP 2.14, Argo 3.6: all four annotations, no retry
# wrappers); task-12 fails in the middle of the run, the others run on, and the run fails.
out = []
seq = [1000]
c = Run("long-chain-r5t8w", "e5c0a3b4-7d8f-4a9b-8c1d-2e3f4a5b6c7d", "7a2b9f4c-0e3d-4b6a-9c8f-4d5e6f7a8b9c",
        "twenty tasks", "long-chain", {"shards": 20}, None, True, 600)
c.tasks = [f"task-{i}" for i in range(1, 21)]
root = c.start(600)
s = 605
failed = None
for i in range(1, 21):
    outcome = ("Failed", "Error (exit code 2)") if i == 12 else ("Succeeded", "")
    s, task_failed = task(c, s, root, f"task-{i}", outcome)
    failed = failed or task_failed
message = c.fail(s, failed)
render(c, seq, out)
wf_c = workflow(c, "Failed", message, s + 1)
write("tests/e2e/data/kfp-v2-twenty-tasks.jsonl",
      "# A recorded watch of one KFP 2.x run of twenty independent tasks (KFP 2.14, Argo 3.6);\n"
      "# task-12 fails in the middle, the others run on. Kubernetes combined most of its Events.\n"
      "# Written by tests/e2e/data/kfp_v2_recordings.py.\n", out, (wf_c,))
