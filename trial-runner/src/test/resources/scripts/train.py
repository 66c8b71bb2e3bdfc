# A training program that speaks the process protocol; its behaviour comes from its parameters.
import json
import os
import pathlib
import sys
import time

params = json.loads(os.environ["KASHA_PARAMS"])
start = int(os.environ["KASHA_RESOURCE_FROM"])
end = int(os.environ["KASHA_RESOURCE_TO"])
checkpoint_in = os.environ["KASHA_CHECKPOINT_IN"]
checkpoint_out = pathlib.Path(os.environ["KASHA_CHECKPOINT_OUT"])
step_seconds = float(os.environ.get("STEP_SECONDS", params.get("step_seconds", 0)))

loss = float(params.get("lr", 1.0))
if checkpoint_in:
    loss = float((pathlib.Path(checkpoint_in) / "loss.txt").read_text())

print("training trial", os.environ["KASHA_TRIAL_ID"], flush=True)
if params.get("malformed"):
    print("kasha: {this is not json", flush=True)
    print('kasha: {"resource": "three", "metrics": {}}', flush=True)

for resource in range(start + 1, int(params.get("stop_at", end)) + 1):
    time.sleep(step_seconds)
    loss /= 2
    print("kasha: " + json.dumps({"resource": resource, "metrics": {"loss": loss}}), flush=True)

if params.get("checkpoint", True):
    (checkpoint_out / "loss.txt").write_text(repr(loss))
for line in range(int(params.get("stderr_lines", 0))):
    print("error line", line, file=sys.stderr, flush=True)
sys.exit(int(params.get("exit", 0)))
