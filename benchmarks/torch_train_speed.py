"""PyTorch side of `npm run bench:train`: training steps per second of the same RNN, one thread.

Reads one JSON object per line on stdin and answers each with one JSON line on stdout:
  {"hello": true}                  -> {"torch": "1.13.1", "threads": 1}
  {"setup": SPEC}                  -> builds the model, warms up; {"ok": true}
  {"window": 0.3}                  -> trains the set-up model for >= 0.3 s; {"stepsPerSec": 905.1}
  SPEC                             -> setup, then `windows` windows; {"stepsPerSec": median, ...}
where SPEC = {"hidden": 16, "batch": 1024, "seqLen": 10, "inputDim": 1, "outputDim": 1,
              "transitionDepth": 1, "transitionWidth": 16, "readoutDepth": 1, "readoutWidth": 16,
              "warmupSeconds": 0.3, "windows": 5, "windowSeconds": 0.3, "dtype": "float32"}
The caller interleaves single windows with its own, so both sides see the same machine load.

Model: h_t = f([h_{t-1}; x_t]), y_t = g(h_t), h_{-1} = 0, f and g MLPs (ReLU between layers, none
after the last), raw inputs, regression with the loss 1/2 * log(1 + (y_hat - y)^2), as rnn/ trains it.
One step = forward + backward through time + AdamW update on one fixed batch, written the way a
PyTorch user would (nn.Linear layers, torch.cat per step, autograd).
"""
import json
import os
import statistics
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import torch  # noqa: E402
from torch import nn  # noqa: E402

torch.set_num_threads(1)
try:
    torch.set_num_interop_threads(1)
except RuntimeError:
    pass


def mlp(in_size, out_size, depth, width):
    layers = []
    for layer in range(depth):
        layers.append(nn.Linear(in_size if layer == 0 else width, out_size if layer == depth - 1 else width))
        if layer < depth - 1:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class Rnn(nn.Module):
    def __init__(self, spec):
        super().__init__()
        self.hidden = spec["hidden"]
        self.f = mlp(spec["hidden"] + spec["inputDim"], spec["hidden"], spec["transitionDepth"], spec["transitionWidth"])
        self.g = mlp(spec["hidden"], spec["outputDim"], spec["readoutDepth"], spec["readoutWidth"])

    def forward(self, x):  # x: [T, B, inputDim]
        h = x.new_zeros(x.shape[1], self.hidden)
        states = []
        for t in range(x.shape[0]):
            h = self.f(torch.cat([h, x[t]], dim=1))
            states.append(h)
        return self.g(torch.stack(states))


def setup(spec):
    """A step function for the spec's model on one fixed random batch, after a warm-up."""
    dtype = getattr(torch, spec.get("dtype", "float32"))
    torch.manual_seed(0)
    model = Rnn(spec).to(dtype)
    x = torch.randint(0, 10, (spec["seqLen"], spec["batch"], spec["inputDim"])).to(dtype)
    y = torch.randint(0, 10, (spec["seqLen"], spec["batch"], spec["outputDim"])).to(dtype)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = (0.5 * torch.log1p((model(x) - y) ** 2)).mean()
        loss.backward()
        optimizer.step()

    window(step, spec.get("warmupSeconds", 0.3), 3)
    return step


def window(step, seconds, min_steps=1):
    """Steps per second over at least `seconds` (and at least `min_steps` steps)."""
    steps = 0
    start = time.perf_counter()
    while True:
        step()
        steps += 1
        elapsed = time.perf_counter() - start
        if steps >= min_steps and elapsed >= seconds:
            return steps / elapsed


def measure(spec):
    step = setup(spec)
    rates = [window(step, spec.get("windowSeconds", 0.3)) for _ in range(spec.get("windows", 5))]
    return {"stepsPerSec": statistics.median(rates), "windowsStepsPerSec": rates, "torch": torch.__version__,
            "dtype": spec.get("dtype", "float32")}


def main():
    current = None
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        request = json.loads(line)
        if request.get("hello"):
            answer = {"torch": torch.__version__, "threads": torch.get_num_threads()}
        elif "setup" in request:
            current = setup(request["setup"])
            answer = {"ok": True}
        elif "window" in request:
            answer = {"stepsPerSec": window(current, request["window"])}
        else:
            answer = measure(request)
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
