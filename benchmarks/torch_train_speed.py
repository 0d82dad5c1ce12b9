"""PyTorch side of `npm run bench:train`: training steps per second of the same RNN, one thread.

Reads one JSON object per line on stdin and answers each with one JSON line on stdout:
  in:  {"model": "simple", "hidden": 16, "batch": 1024, "seqLen": 10, "inputDim": 1, "outputDim": 1,
        "transitionDepth": 1, "transitionWidth": 16, "readoutDepth": 1, "readoutWidth": 16,
        "warmupSeconds": 0.3, "windows": 5, "windowSeconds": 0.3, "dtype": "float32"}
  out: {"stepsPerSec": 905.1, "windowsStepsPerSec": [...], "torch": "1.13.1", "dtype": "float32"}
A first line {"hello": true} is answered with the versions, so the caller knows torch imported.

Model: h_t = f([h_{t-1}; x_t]), y_t = g(h_t), h_{-1} = 0, f and g MLPs (ReLU between layers, none
after the last), raw inputs, regression with the loss 1/2 * log(1 + (y_hat - y)^2), as rnn/ trains it.
One step = forward + backward through time + AdamW update on one fixed batch. Steps per second is the
median over `windows` timed windows after a warm-up.
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


def measure(spec):
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

    def window(seconds, min_steps):
        steps = 0
        start = time.perf_counter()
        while True:
            step()
            steps += 1
            elapsed = time.perf_counter() - start
            if steps >= min_steps and elapsed >= seconds:
                return steps / elapsed

    window(spec.get("warmupSeconds", 0.3), 3)
    rates = [window(spec.get("windowSeconds", 0.3), 1) for _ in range(spec.get("windows", 5))]
    return {"stepsPerSec": statistics.median(rates), "windowsStepsPerSec": rates, "torch": torch.__version__,
            "dtype": spec.get("dtype", "float32")}


def main():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        request = json.loads(line)
        if request.get("hello"):
            answer = {"torch": torch.__version__, "threads": torch.get_num_threads()}
        else:
            answer = measure(request)
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
