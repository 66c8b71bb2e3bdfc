#!/usr/bin/env python3
"""Logistic regression trained by mini-batch SGD: a Kasha training program in plain Python.

It speaks Kasha's process protocol and needs nothing but the Python 3 standard library:

  KASHA_PARAMS          JSON object: {"learning_rate": 0.05, "l2": 0.001}
  KASHA_RESOURCE_FROM   epochs already trained (0 for a new trial)
  KASHA_RESOURCE_TO     epoch to reach in this run
  KASHA_CHECKPOINT_IN   directory holding state.json from an earlier run (empty: start fresh)
  KASHA_CHECKPOINT_OUT  directory where this run writes state.json before it exits

After every epoch it prints one line, for example
  kasha: {"resource": 4, "metrics": {"val_loss": 0.4123}}

The data set (300 training and 1,000 validation points, 30 features of which 5 matter) is generated
from a fixed seed, and each epoch shuffles with a seed of its own, so a run resumed from a checkpoint
reports exactly what an uninterrupted run reports.
"""

import json
import math
import os
import random
import sys

FEATURES = 30
INFORMATIVE = 5
TRAINING_SIZE = 300
VALIDATION_SIZE = 1000
BATCH_SIZE = 10
DATA_SEED = 2024
SHUFFLE_SEED = 7
STATE_FILE = "state.json"


def fail(message):
    print(f"train.py: {message}", file=sys.stderr)
    sys.exit(2)


def required(name):
    value = os.environ.get(name)
    if value is None or value == "":
        fail(f"environment variable {name} is not set; run this program through a Kasha runner")
    return value


def read_settings():
    try:
        params = json.loads(required("KASHA_PARAMS"))
        resource_from = int(required("KASHA_RESOURCE_FROM"))
        resource_to = int(required("KASHA_RESOURCE_TO"))
    except ValueError as error:
        fail(f"cannot read the protocol variables: {error}")
    checkpoint_out = required("KASHA_CHECKPOINT_OUT")
    checkpoint_in = os.environ.get("KASHA_CHECKPOINT_IN", "")
    try:
        learning_rate = float(params["learning_rate"])
        l2 = float(params["l2"])
    except (KeyError, TypeError, ValueError) as error:
        fail(f"KASHA_PARAMS needs numbers learning_rate and l2, got {params!r} ({error})")
    if not 0 <= resource_from <= resource_to:
        fail(f"need 0 <= KASHA_RESOURCE_FROM <= KASHA_RESOURCE_TO, got {resource_from}, {resource_to}")
    return learning_rate, l2, resource_from, resource_to, checkpoint_in, checkpoint_out


def generate_data():
    """Points with Gaussian features, labelled by a sparse linear rule plus logistic noise."""
    rng = random.Random(DATA_SEED)
    truth = [rng.gauss(0, 2) if i < INFORMATIVE else 0.0 for i in range(FEATURES)]

    def draw(count):
        points = []
        for _ in range(count):
            x = [rng.gauss(0, 1) for _ in range(FEATURES)]
            u = rng.random()
            noise = math.log(u / (1 - u)) if 0 < u < 1 else 0.0
            points.append((x, 1 if dot(truth, x) + noise > 0 else 0))
        return points

    return draw(TRAINING_SIZE), draw(VALIDATION_SIZE)


def dot(a, b):
    return sum(p * q for p, q in zip(a, b))


def sigmoid(z):
    if z >= 0:
        return 1 / (1 + math.exp(-z))
    e = math.exp(z)
    return e / (1 + e)


def log_loss(z, y):
    """-log P(y | z) for a logit z, computed without overflow."""
    margin = z if y == 1 else -z
    return math.log1p(math.exp(-margin)) if margin >= 0 else -margin + math.log1p(math.exp(margin))


def train_epoch(state, data, epoch, learning_rate, l2):
    order = list(range(len(data)))
    random.Random(SHUFFLE_SEED * 1_000_003 + epoch).shuffle(order)
    weights = state["weights"]
    for start in range(0, len(order), BATCH_SIZE):
        batch = order[start:start + BATCH_SIZE]
        grad_w = [0.0] * FEATURES
        grad_b = 0.0
        for i in batch:
            x, y = data[i]
            error = sigmoid(dot(weights, x) + state["bias"]) - y
            for j in range(FEATURES):
                grad_w[j] += error * x[j]
            grad_b += error
        for j in range(FEATURES):
            weights[j] -= learning_rate * (grad_w[j] / len(batch) + l2 * weights[j])
        state["bias"] -= learning_rate * grad_b / len(batch)
    state["epoch"] = epoch


def validation_loss(state, data):
    return sum(log_loss(dot(state["weights"], x) + state["bias"], y) for x, y in data) / len(data)


def load_state(checkpoint_in, resource_from):
    path = os.path.join(checkpoint_in, STATE_FILE) if checkpoint_in else ""
    if not path or not os.path.exists(path):
        return {"epoch": 0, "weights": [0.0] * FEATURES, "bias": 0.0}
    with open(path, encoding="utf-8") as file:
        state = json.load(file)
    if state["epoch"] > resource_from:
        fail(f"{path} is at epoch {state['epoch']}, past KASHA_RESOURCE_FROM={resource_from}")
    print(f"train.py: resuming at epoch {state['epoch']} from {path}", file=sys.stderr)
    return state


def save_state(state, checkpoint_out):
    os.makedirs(checkpoint_out, exist_ok=True)
    path = os.path.join(checkpoint_out, STATE_FILE)
    with open(path + ".tmp", "w", encoding="utf-8") as file:
        json.dump(state, file)
    os.replace(path + ".tmp", path)


def main():
    learning_rate, l2, resource_from, resource_to, checkpoint_in, checkpoint_out = read_settings()
    training, validation = generate_data()
    state = load_state(checkpoint_in, resource_from)
    for epoch in range(state["epoch"] + 1, resource_to + 1):
        train_epoch(state, training, epoch, learning_rate, l2)
        if epoch > resource_from:
            report = {"resource": epoch, "metrics": {"val_loss": validation_loss(state, validation)}}
            print("kasha: " + json.dumps(report), flush=True)
    save_state(state, checkpoint_out)


if __name__ == "__main__":
    main()
