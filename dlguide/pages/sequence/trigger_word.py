"""“触发词检测”一页：合成的 2 秒音频（背景噪声 + 触发声 + 干扰声）、课程式的标签、
卷积 + GRU 检测器和事件级的查准率/查全率。

触发声是 200–300 ms 的上行扫频（600 → 1400 Hz），相当于“唤醒词”；
干扰声是同频段的**下行**扫频、只扫到 1000 Hz 的上行扫频、1000 Hz 的纯音和更高频段的上行扫频，
相当于发音相近或不相干的词。下行扫频与触发声的频率成分完全相同、只是顺序相反，只看频谱“有什么”分不开它们，必须看“先后”。
"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import check_in_range, check_int, check_seed, check_tensor
from dlguide.audio import chirp, spectrogram, tone
from dlguide.figures import figure, new_figure
from dlguide.training import fit

__all__ = [
    "CLIP_SAMPLES",
    "DISTRACTORS",
    "OUTPUT_STEPS",
    "SAMPLE_RATE",
    "TriggerDetector",
    "clip_and_detector_output",
    "detect_events",
    "event_precision_recall",
    "make_trigger_dataset",
    "trigger_clip",
    "train_detector",
    "trigger_labels",
]

SAMPLE_RATE = 8000
"""采样率（Hz）与每段音频的长度（2 秒）。"""
CLIP_SAMPLES = 16_000
HOP, N_FFT = 160, 256
"""声谱图：32 ms 窗、20 ms 帧移，得到 99 帧；检测器的卷积步长 2，输出 50 步（每步 40 ms）。"""
OUTPUT_STEPS = 50
TRIGGER = ("chirp", 600.0, 1400.0)
"""触发声（上行扫频）与干扰声：同频段的下行扫频、只扫一半的上行扫频（像唤醒词的前半截）、纯音、高频段的上行扫频。"""
DISTRACTORS = (("chirp", 1400.0, 600.0), ("chirp", 600.0, 1000.0), ("tone", 1000.0, 1000.0), ("chirp", 1600.0, 2400.0))
_TAIL = 2000
"""事件结束后至少留 250 ms（6 个输出步）再到音频末尾，标签窗口不会被截断。"""


def _event(kind: tuple[str, float, float], seconds: float, scale: float, amplitude: float) -> torch.Tensor:
    name, f0, f1 = kind
    if name == "tone":
        return tone(f0 * scale, seconds, SAMPLE_RATE, amplitude)
    return chirp(f0 * scale, f1 * scale, seconds, SAMPLE_RATE, amplitude)


def trigger_clip(
    triggers: int, distractors: int, *, seed: int | None = 0
) -> tuple[torch.Tensor, list[int], list[tuple[int, int, str]]]:
    """一段 2 秒的音频：白噪声背景上，在互不重叠的随机位置插入 ``triggers`` 个触发声和 ``distractors`` 个干扰声。

    每个事件长 200–300 ms，频率整体随机缩放 ±5%（不同人的音高），幅度随机；事件结束后至少留 250 ms 才到音频末尾。

    Parameters
    ----------
    triggers, distractors : int
        触发声和干扰声的个数，各在 ``[0, 3]`` 内。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    tuple
        波形 ``(16000,)``、每个触发声的结束采样点（升序）、每个事件的 ``(起点, 终点, "trigger"/"distractor")``。

    Examples
    --------
    >>> x, ends, events = trigger_clip(1, 2, seed=0)
    >>> x.shape[0], len(ends), sorted(kind for _, _, kind in events)
    (16000, 1, ['distractor', 'distractor', 'trigger'])
    """
    check_int(triggers, "triggers", low=0, high=3)
    check_int(distractors, "distractors", low=0, high=3)
    check_seed(seed)
    g = None if seed is None else torch.Generator().manual_seed(seed)
    x = 0.08 * torch.randn(CLIP_SAMPLES, generator=g)
    events: list[tuple[int, int, str]] = []
    for kind in ["trigger"] * triggers + ["distractor"] * distractors:
        length = int(torch.randint(1600, 2401, (1,), generator=g))  # 200–300 ms
        for _ in range(100):  # 找一个与已有事件至少相隔 50 ms 的位置
            start = int(torch.randint(0, CLIP_SAMPLES - length - _TAIL + 1, (1,), generator=g))
            if all(start + length + 400 <= a or start >= b + 400 for a, b, _ in events):
                break
        else:
            continue
        amplitude = 0.15 + 0.3 * float(torch.rand(1, generator=g))
        scale = 0.95 + 0.1 * float(torch.rand(1, generator=g))
        choice = TRIGGER if kind == "trigger" else DISTRACTORS[int(torch.randint(0, len(DISTRACTORS), (1,), generator=g))]
        x[start : start + length] += _event(choice, length / SAMPLE_RATE, scale, amplitude)
        events.append((start, start + length, kind))
    ends = sorted(b for _, b, kind in events if kind == "trigger")
    return x, ends, sorted(events)


def _end_step(end_sample: int) -> int:
    # 与课程的 insert_ones 相同：segment_end_y = int(segment_end_ms * Ty / 总时长)
    return int(end_sample * OUTPUT_STEPS / CLIP_SAMPLES)


def make_trigger_dataset(
    n: int = 600, *, label_steps: int = 5, seed: int | None = 0
) -> tuple[torch.Tensor, torch.Tensor, list[list[int]]]:
    """``n`` 段音频（每段 0–2 个触发声、0–2 个干扰声）的特征、逐步标签和触发声的结束位置。

    标签按吴恩达课程的做法：触发声结束后的 ``label_steps`` 个输出步**严格之后**（结束的那一步本身是 0）标为 1，其余为 0。
    课程的作业里 10 秒音频有 1375 个输出步，标 50 步；这里 2 秒 50 步，默认标 5 步（200 ms）。

    Parameters
    ----------
    n : int
        段数，在 ``[1, 20000]`` 内。
    label_steps : int
        每个触发声之后标为 1 的步数，在 ``[1, 20]`` 内。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    tuple
        特征 ``(n, 129, 99)``（每段各自标准化的对数功率谱）；标签 ``(n, 50)``，float32；每段触发声结束处的输出步。

    Examples
    --------
    >>> X, y, ends = make_trigger_dataset(4, seed=0)
    >>> tuple(X.shape), tuple(y.shape), ends, [int(v) for v in y.sum(1).tolist()]  # 每个触发声 5 个 1
    ((4, 129, 99), (4, 50), [[18, 38], [42], [34], []], [10, 5, 5, 0])
    """
    check_int(n, "n", low=1, high=20_000)
    check_int(label_steps, "label_steps", low=1, high=20)
    check_seed(seed)
    g = None if seed is None else torch.Generator().manual_seed(seed)
    waves, all_ends = [], []
    for _ in range(n):
        triggers, distractors = (int(v) for v in torch.randint(0, 3, (2,), generator=g))
        x, ends, _ = trigger_clip(triggers, distractors, seed=int(torch.randint(0, 2**31, (1,), generator=g)))
        waves.append(x)
        all_ends.append([_end_step(e) for e in ends])
    S = spectrogram(torch.stack(waves), n_fft=N_FFT, hop_length=HOP, win_length=N_FFT)
    S = (S - S.mean(dim=(1, 2), keepdim=True)) / S.std(dim=(1, 2), keepdim=True)
    return S, trigger_labels(all_ends, label_steps=label_steps), all_ends


def trigger_labels(trigger_ends: list[list[int]], *, label_steps: int = 5) -> torch.Tensor:
    """课程式的逐步标签：每个触发声结束的输出步**之后**的 ``label_steps`` 步为 1，其余为 0。

    只换标签、不重新生成音频时用它（例如比较标 5 步和标 1 步）。

    Parameters
    ----------
    trigger_ends : list[list[int]]
        每段音频里触发声结束的输出步，每个在 ``[0, 50)`` 内
        （[`make_trigger_dataset`][dlguide.pages.sequence.trigger_word.make_trigger_dataset] 的第 3 个返回值）。
    label_steps : int
        每个触发声之后标为 1 的步数，在 ``[1, 20]`` 内。

    Returns
    -------
    torch.Tensor
        ``(段数, 50)``，float32。

    Examples
    --------
    >>> y = trigger_labels([[3], [], [47]], label_steps=2)
    >>> [[t for t, v in enumerate(row) if v] for row in y.tolist()]  # 结束步本身是 0；窗口在第 50 步截断
    [[4, 5], [], [48, 49]]
    """
    if not isinstance(trigger_ends, list) or not trigger_ends:
        raise TypeError("trigger_ends 必须是非空列表，每项是一段音频的触发声结束步（整数列表）")
    for ends in trigger_ends:
        if not isinstance(ends, list):
            raise TypeError(f"trigger_ends 的每一项必须是整数列表，收到 {ends!r}")
        for e in ends:
            check_int(e, "trigger_ends 的元素", low=0, high=OUTPUT_STEPS - 1)
    check_int(label_steps, "label_steps", low=1, high=20)
    labels = torch.zeros(len(trigger_ends), OUTPUT_STEPS)
    for i, ends in enumerate(trigger_ends):
        for step in ends:
            # y[end + 1 : end + 1 + label_steps] = 1：结束之后的几步都算“刚刚听到了触发词”
            labels[i, step + 1 : step + 1 + label_steps] = 1.0
    return labels


class TriggerDetector(nn.Module):
    """一维卷积（步长 2，把 99 帧降到 50 步）+ 批标准化 + ReLU，单向 GRU，再逐步输出一个 logit。

    GRU 是**单向**的，所以可以边听边判断（课程的模型同样如此）；卷积核居中（``padding=2``），
    第 $t$ 步的输出依赖声谱图的第 0 到第 $2t+2$ 帧，即有约 2 帧（几十毫秒）的前瞻。
    输入 ``(N, 129, 99)``，输出 ``(N, 50)`` 的 logit（sigmoid 之前）。

    Examples
    --------
    >>> net = TriggerDetector(seed=0)
    >>> tuple(net(torch.zeros(2, 129, 99)).shape)
    (2, 50)
    """

    def __init__(self, hidden: int = 32, *, seed: int | None = None) -> None:
        super().__init__()
        check_int(hidden, "hidden", low=1, high=1024)
        if seed is not None:
            torch.manual_seed(check_seed(seed))
        self.conv = nn.Sequential(nn.Conv1d(N_FFT // 2 + 1, hidden, 5, stride=2, padding=2), nn.BatchNorm1d(hidden), nn.ReLU())
        self.gru = nn.GRU(hidden, hidden, batch_first=True)
        self.out = nn.Linear(hidden, 1)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        check_tensor(features, "features", ndim=3, nonempty=True)
        if features.shape[1] != N_FFT // 2 + 1:
            raise ValueError(f"features 必须是 (N, {N_FFT // 2 + 1}, T)，收到 {tuple(features.shape)}")
        h = self.conv(features).transpose(1, 2)  # (N, 50, hidden)
        h, _ = self.gru(h)  # 单向：只看过去
        return self.out(h).squeeze(-1)  # (N, 50)


def train_detector(epochs: int = 3, *, label_steps: int = 5, n: int = 600, seed: int | None = 0) -> TriggerDetector:
    """用 ``BCEWithLogits`` 训练 [`TriggerDetector`][dlguide.pages.sequence.trigger_word.TriggerDetector]：每批 32、Adam、学习率 0.01。

    Examples
    --------
    >>> isinstance(train_detector(1, n=16), TriggerDetector)
    True
    """
    check_int(epochs, "epochs", low=1, high=200)
    check_int(n, "n", low=1, high=20_000)
    check_seed(seed)
    X, y, _ = make_trigger_dataset(n, label_steps=label_steps, seed=seed)
    net = TriggerDetector(seed=seed)
    loss_fn = nn.functional.binary_cross_entropy_with_logits
    fit(net, X, y, loss_fn=loss_fn, epochs=epochs, lr=0.01, batch_size=32, optimizer="adam", seed=seed)
    return net.eval()


def detect_events(probs: torch.Tensor, threshold: float = 0.5, refractory: int = 5) -> list[int]:
    """把逐步的概率变成离散的“检测到触发词”事件：概率越过阈值的上升沿，之后 ``refractory`` 步内不再触发。

    课程在输出上做的也是这件事：检测到一次之后的一段时间里不再响应，避免一个触发词响好几次。

    Parameters
    ----------
    probs : torch.Tensor
        一段音频的逐步概率 ``(T,)``。
    threshold : float
        阈值，在 (0, 1) 内。
    refractory : int
        不应期的步数，在 ``[0, 1000]`` 内。

    Returns
    -------
    list[int]
        每次检测的输出步。

    Examples
    --------
    >>> detect_events(torch.tensor([0.1, 0.7, 0.9, 0.2, 0.8, 0.1, 0.1, 0.6]), refractory=4)
    [1, 7]
    """
    check_tensor(probs, "probs", ndim=1, nonempty=True)
    check_in_range(threshold, "threshold", 0.0, 1.0, low_open=True, high_open=True)
    check_int(refractory, "refractory", low=0, high=1000)
    above = (probs > threshold).tolist()
    events: list[int] = []
    for t, on in enumerate(above):
        rising = on and (t == 0 or not above[t - 1])
        if rising and (not events or t - events[-1] > refractory):
            events.append(t)
    return events


def event_precision_recall(
    probs: torch.Tensor, trigger_ends: list[list[int]], *, threshold: float = 0.5, tolerance: int = 8
) -> tuple[float, float]:
    """事件级的查准率和查全率：一次检测若落在某个触发声结束后 ``[0, tolerance]`` 步内（且该触发声还没被认领），算对。

    查准率 = 对的检测 / 全部检测（误唤醒越多越低）；查全率 = 被检测到的触发声 / 全部触发声（漏唤醒越多越低）。

    Parameters
    ----------
    probs : torch.Tensor
        ``(N, T)`` 的逐步概率。
    trigger_ends : list[list[int]]
        每段音频里触发声结束的输出步。
    threshold : float
        检测阈值，在 (0, 1) 内。
    tolerance : int
        允许的延迟（步），在 ``[0, 100]`` 内。

    Returns
    -------
    tuple[float, float]
        ``(查准率, 查全率)``，各保留 3 位小数；没有检测（或没有触发声）时对应的值记为 0。

    Examples
    --------
    >>> probs = torch.tensor([[0.0, 0.0, 0.9, 0.9, 0.0, 0.0], [0.0, 0.9, 0.0, 0.0, 0.0, 0.0]])
    >>> event_precision_recall(probs, [[1], [4]], tolerance=2)  # 第 1 段对了，第 2 段一次误报、一次漏报
    (0.5, 0.5)
    """
    check_tensor(probs, "probs", ndim=2, nonempty=True)
    if not isinstance(trigger_ends, list) or len(trigger_ends) != len(probs):
        raise ValueError(f"trigger_ends 必须是与 probs 等长（{len(probs)}）的列表，每项是一段音频的触发声结束步")
    for ends in trigger_ends:
        if not isinstance(ends, list) or not all(isinstance(e, int) and not isinstance(e, bool) for e in ends):
            raise TypeError(f"trigger_ends 的每一项必须是整数列表，收到 {ends!r}")
    check_int(tolerance, "tolerance", low=0, high=100)
    hits = detections = 0
    for row, ends in zip(probs, trigger_ends):
        claimed: set[int] = set()
        for t in detect_events(row, threshold):
            detections += 1
            match = [i for i, e in enumerate(ends) if i not in claimed and 0 <= t - e <= tolerance]
            if match:
                claimed.add(match[0])
                hits += 1
    total = sum(len(ends) for ends in trigger_ends)
    # 查准率 = TP / (TP + FP)，查全率 = TP / (TP + FN)
    return round(hits / detections, 3) if detections else 0.0, round(hits / total, 3) if total else 0.0


@figure
def clip_and_detector_output() -> Figure:
    """一段测试音频的声谱图（标出触发声与干扰声）、课程式标签和训练好的检测器输出。"""
    x, ends, events = trigger_clip(2, 2, seed=11)
    features = spectrogram(x[None], n_fft=N_FFT, hop_length=HOP, win_length=N_FFT)
    features = (features - features.mean()) / features.std()
    net = train_detector()
    with torch.no_grad():
        probs = torch.sigmoid(net(features.to(next(net.parameters()).device)))[0].cpu()
    fig, (top, bottom) = new_figure(2, width=10.0, height=3.6)
    spec = spectrogram(x, n_fft=N_FFT, hop_length=HOP, win_length=N_FFT)
    seconds = (torch.arange(spec.shape[1]) * HOP + N_FFT / 2) / SAMPLE_RATE
    top.pcolormesh(
        seconds.numpy(), (torch.arange(N_FFT // 2 + 1) * SAMPLE_RATE / N_FFT).numpy(), spec.detach().numpy(),
        shading="nearest", cmap="magma",
    )
    top.set_ylim(0, 2600)
    for start, end, kind in events:
        top.text((start + end) / 2 / SAMPLE_RATE, 2450, "触发" if kind == "trigger" else "干扰", ha="center", fontsize=9,
                 bbox={"boxstyle": "round", "fc": "white" if kind == "trigger" else "0.85", "ec": "none"})
    top.set_xlabel("时间（秒）")
    top.set_ylabel("频率（Hz）")
    top.set_title("触发声是 600→1400 Hz 的上行扫频，其余是干扰")
    top.grid(False)
    steps = (torch.arange(OUTPUT_STEPS) + 0.5) * CLIP_SAMPLES / OUTPUT_STEPS / SAMPLE_RATE
    labels = torch.zeros(OUTPUT_STEPS)
    for e in ends:
        labels[_end_step(e) + 1 : _end_step(e) + 6] = 1
    bottom.fill_between(steps, 0, labels, step="mid", color="tab:green", alpha=0.3, label="标签（触发声结束后 5 步为 1）")
    bottom.plot(steps, probs, color="tab:blue", lw=1.6, label="检测器输出的概率")
    bottom.axhline(0.5, color="0.5", ls="--", lw=1)
    for t in detect_events(probs):
        bottom.axvline(steps[t], color="tab:red", lw=1, ls=":")
    bottom.set_xlim(0, CLIP_SAMPLES / SAMPLE_RATE)
    bottom.set_ylim(-0.02, 1.05)
    bottom.set_xlabel("时间（秒）")
    bottom.set_title("检测器只在触发声之后响应（红色虚线是检测到的事件）")
    bottom.legend(fontsize=7, loc="upper left")
    return fig
