# Writes the protocol environment it was given into its checkpoint directory, then completes.
import json
import os
import pathlib

seen = {name: value for name, value in os.environ.items() if name.startswith("KASHA_") or name == "EXTRA"}
seen["cwd"] = os.getcwd()
(pathlib.Path(os.environ["KASHA_CHECKPOINT_OUT"]) / "environment.json").write_text(json.dumps(seen))
print("kasha: " + json.dumps({"resource": int(os.environ["KASHA_RESOURCE_TO"]), "metrics": {"loss": 0.5}}))
