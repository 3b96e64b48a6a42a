"""“语音识别”一页：合成的电话按键音（DTMF）数字串、声谱图特征、用 CTC 训练的小卷积网络，以及两张图。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import check_int, check_seed, check_tensor
from dlguide.audio import spectrogram, tone
from dlguide.ctc import ctc_greedy_decode, ctc_loss
from dlguide.figures import figure, new_figure
from dlguide.training import fit

__all__ = [
    "CLIP_SAMPLES",
    "DTMF_KEYS",
    "HOP",
    "SAMPLE_RATE",
    "CTCConvNet",
    "ctc_objective",
    "ctc_trellis",
    "ctc_trellis_figure",
    "dtmf_clip",
    "dtmf_features",
    "make_dtmf_dataset",
    "spectrogram_and_posteriors",
    "train_dtmf",
]

SAMPLE_RATE = 8000
"""采样率（Hz），电话语音的标准。"""
CLIP_SAMPLES = 6400
"""每段音频的长度：0.8 秒。"""
HOP, N_FFT = 160, 256
"""声谱图的帧移（20 ms）和 FFT 长度（32 ms 窗）。"""
DTMF_KEYS: dict[str, tuple[float, float]] = {
    "1": (697.0, 1209.0), "2": (697.0, 1336.0), "3": (697.0, 1477.0),
    "4": (770.0, 1209.0), "5": (770.0, 1336.0), "6": (770.0, 1477.0),
    "7": (852.0, 1209.0), "8": (852.0, 1336.0), "9": (852.0, 1477.0),
    "0": (941.0, 1336.0),
}
"""电话按键的双音频率（ITU-T Q.23）：每个数字 = 一个低频（键盘的行）+ 一个高频（键盘的列）。"""


def dtmf_clip(digits: str, *, seed: int | None = 0) -> tuple[torch.Tensor, list[tuple[int, int, str]]]:
    """一段 0.8 秒、8 kHz 的按键音：每个数字一段 40–90 ms 的双音，之间停顿 0–40 ms，叠加白噪声。

    每段的两个频率各有 ±1.5% 以内的随机偏差、幅度随机；相同的数字连按时至少停顿 20 ms（否则两段会连成一段）。
    不同数字之间可以没有停顿，所以不能简单地按静音切分。

    Parameters
    ----------
    digits : str
        1–5 个数字字符。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    tuple[torch.Tensor, list[tuple[int, int, str]]]
        波形 ``(6400,)`` 和每个数字的 ``(起始采样点, 结束采样点, 数字)``。

    Examples
    --------
    >>> x, segments = dtmf_clip("337", seed=0)
    >>> x.shape[0], [d for _, _, d in segments], segments[1][0] - segments[0][1] >= 160
    (6400, ['3', '3', '7'], True)
    """
    if not isinstance(digits, str) or not 1 <= len(digits) <= 5 or any(d not in DTMF_KEYS for d in digits):
        raise ValueError(f"digits 必须是 1–5 个数字字符（0–9），收到 {digits!r}")
    check_seed(seed)
    g = None if seed is None else torch.Generator().manual_seed(seed)

    def uniform(low: int, high: int) -> int:
        return int(torch.randint(low, high + 1, (1,), generator=g))

    x = torch.zeros(CLIP_SAMPLES)
    position = uniform(0, 800)  # 开头 0–100 ms 的静音
    segments = []
    for i, digit in enumerate(digits):
        if i > 0 and digit == digits[i - 1]:
            position += 160  # 连按同一个键：至少停顿 20 ms
        duration = uniform(320, 720)  # 40–90 ms
        low, high = DTMF_KEYS[digit]
        jitter = 1 + (torch.rand(2, generator=g) * 0.03 - 0.015)
        amplitude = 0.3 + 0.4 * float(torch.rand(1, generator=g))
        end = min(position + duration, CLIP_SAMPLES)
        x[position:end] += tone((low * float(jitter[0]), high * float(jitter[1])), duration / SAMPLE_RATE, SAMPLE_RATE, amplitude)[: end - position]
        segments.append((position, end, digit))
        position = end + uniform(0, 320)  # 0–40 ms 的停顿
    return x + 0.05 * torch.randn(CLIP_SAMPLES, generator=g), segments


def dtmf_features(waveforms: torch.Tensor) -> torch.Tensor:
    """对数功率谱（[`spectrogram`][dlguide.audio.spectrogram]，32 ms 窗、20 ms 帧移），每段各自减均值、除以标准差。

    Parameters
    ----------
    waveforms : torch.Tensor
        ``(n, 6400)``。

    Returns
    -------
    torch.Tensor
        ``(n, 129, 39)``：129 个频率点（0–4 kHz，间隔 31.25 Hz）× 39 帧。

    Examples
    --------
    >>> dtmf_features(dtmf_clip("5")[0][None]).shape
    torch.Size([1, 129, 39])
    """
    check_tensor(waveforms, "waveforms", ndim=2, nonempty=True)
    S = spectrogram(waveforms, n_fft=N_FFT, hop_length=HOP, win_length=N_FFT)
    # 每段音频各自标准化（倒谱均值方差归一化的简化版）：去掉音量和噪声水平的差异
    mean, std = S.mean(dim=(1, 2), keepdim=True), S.std(dim=(1, 2), keepdim=True)
    return (S - mean) / std


def make_dtmf_dataset(n: int = 800, *, seed: int | None = 0) -> tuple[torch.Tensor, torch.Tensor, list[str]]:
    """``n`` 段按键音，每段 2–5 个随机数字；没有逐帧的对齐标注，只有数字串。

    Parameters
    ----------
    n : int
        段数，在 ``[1, 20000]`` 内。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor, list[str]]
        特征 ``(n, 129, 39)``；标签 ``(n, 5)``，数字 $d$ 记为 $d+1$（0 是空白），不足 5 个用 0 补齐；数字串。

    Examples
    --------
    >>> X, y, texts = make_dtmf_dataset(3, seed=0)
    >>> tuple(X.shape), texts, y[0].tolist()
    ((3, 129, 39), ['93', '73731', '86684'], [10, 4, 0, 0, 0])
    """
    check_int(n, "n", low=1, high=20_000)
    check_seed(seed)
    g = None if seed is None else torch.Generator().manual_seed(seed)
    waves, texts = [], []
    labels = torch.zeros(n, 5, dtype=torch.long)
    for i in range(n):
        k = int(torch.randint(2, 6, (1,), generator=g))
        digits = "".join(str(int(d)) for d in torch.randint(0, 10, (k,), generator=g))
        waves.append(dtmf_clip(digits, seed=int(torch.randint(0, 2**31, (1,), generator=g)))[0])
        texts.append(digits)
        labels[i, :k] = torch.tensor([int(d) + 1 for d in digits])
    return dtmf_features(torch.stack(waves)), labels, texts


class CTCConvNet(nn.Module):
    """声学模型：两层一维卷积（沿时间，每层看 5 帧）+ 批标准化 + ReLU，再用 1×1 卷积输出每帧 11 类（空白 + 10 个数字）的对数概率。

    感受野 9 帧（180 ms），足够覆盖一个按键音。输入 ``(N, 129, T)``，输出 ``(N, T, 11)``（``log_softmax`` 之后）。

    Examples
    --------
    >>> net = CTCConvNet(seed=0)
    >>> tuple(net(torch.zeros(2, 129, 39)).shape)
    (2, 39, 11)
    """

    def __init__(self, channels: int = 64, *, seed: int | None = None) -> None:
        super().__init__()
        check_int(channels, "channels", low=1, high=1024)
        if seed is not None:
            torch.manual_seed(check_seed(seed))
        self.net = nn.Sequential(
            nn.Conv1d(N_FFT // 2 + 1, channels, 5, padding=2), nn.BatchNorm1d(channels), nn.ReLU(),
            nn.Conv1d(channels, channels, 5, padding=2), nn.BatchNorm1d(channels), nn.ReLU(),
            nn.Conv1d(channels, 1 + len(DTMF_KEYS), 1),
        )

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        check_tensor(features, "features", ndim=3, nonempty=True)
        if features.shape[1] != N_FFT // 2 + 1:
            raise ValueError(f"features 必须是 (N, {N_FFT // 2 + 1}, T)，收到 {tuple(features.shape)}")
        # (N, F, T) → (N, C, T) → (N, T, C)，每帧一个 log_softmax
        return self.net(features).transpose(1, 2).log_softmax(dim=-1)


def ctc_objective(log_probs: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """[`fit`][dlguide.training.fit] 用的损失：把 ``(N, T, C)`` 换成 CTC 的 ``(T, N, C)`` 布局，标签长度由补齐的 0 推出。

    Examples
    --------
    每帧 11 类等概率、4 帧、标签只有一个数字：折叠成它的路径有 10 条（一段连续的该数字，前后补空白），
    $p = 10/11^4$：

    >>> import math
    >>> log_probs = torch.full((1, 4, 11), 1 / 11).log()
    >>> round(ctc_objective(log_probs, torch.tensor([[3, 0, 0, 0, 0]])).item(), 4), round(math.log(11**4 / 10), 4)
    (7.289, 7.289)
    """
    check_tensor(log_probs, "log_probs", ndim=3, nonempty=True)
    check_tensor(targets, "targets", kind="int", ndim=2)
    N, T, _ = log_probs.shape
    if len(targets) != N:
        raise ValueError(f"targets 的行数必须是 log_probs 的批大小 N={N}，收到 {len(targets)}")
    input_lengths = torch.full((N,), T, dtype=torch.long)
    target_lengths = (targets != 0).sum(1)
    return ctc_loss(log_probs.transpose(0, 1), targets, input_lengths, target_lengths)


def train_dtmf(epochs: int = 4, *, n: int = 800, seed: int | None = 0) -> CTCConvNet:
    """在 [`make_dtmf_dataset`][dlguide.pages.sequence.speech_recognition.make_dtmf_dataset] 上用 CTC 训练
    [`CTCConvNet`][dlguide.pages.sequence.speech_recognition.CTCConvNet]：每批 32、Adam、学习率 0.01。

    Examples
    --------
    >>> isinstance(train_dtmf(1, n=32), CTCConvNet)
    True
    """
    check_int(epochs, "epochs", low=1, high=200)
    check_int(n, "n", low=1, high=20_000)
    check_seed(seed)
    X, y, _ = make_dtmf_dataset(n, seed=seed)
    net = CTCConvNet(seed=seed)
    fit(net, X, y, loss_fn=ctc_objective, epochs=epochs, lr=0.01, batch_size=32, optimizer="adam", seed=seed)
    return net.eval()


def ctc_trellis(labels: list[int], probs: torch.Tensor) -> torch.Tensor:
    r"""前向变量 $\alpha_t(s)$ 的整张表（概率域，不取对数），用于画图和核对递推。

    Parameters
    ----------
    labels : list[int]
        标签序列（不含空白 0），例如 ``[1, 1]``。
    probs : torch.Tensor
        ``(T, C)`` 的逐帧概率。

    Returns
    -------
    torch.Tensor
        ``(T, 2|l|+1)``；$p(\boldsymbol l\mid\boldsymbol x)$ 是最后一行的最后两个数之和。

    Examples
    --------
    >>> table = ctc_trellis([1], torch.tensor([[0.6, 0.4], [0.6, 0.4]], dtype=torch.float64))
    >>> round(float(table[-1, -2:].sum()), 4)
    0.64
    """
    check_tensor(probs, "probs", ndim=2, nonempty=True)
    if not isinstance(labels, list) or any(not isinstance(v, int) or not 1 <= v < probs.shape[1] for v in labels):
        raise ValueError(
            f"labels 必须是 [1, {probs.shape[1]}) 内的整数列表（0 是空白；上界是 probs 的列数），收到 {labels!r}"
        )
    ext = [0]
    for v in labels:
        ext += [v, 0]
    T, S = probs.shape[0], len(ext)
    alpha = torch.zeros(T, S, dtype=probs.dtype)
    alpha[0, 0] = probs[0, 0]
    if S > 1:
        alpha[0, 1] = probs[0, ext[1]]
    for t in range(1, T):
        for s in range(S):
            total = alpha[t - 1, s] + (alpha[t - 1, s - 1] if s >= 1 else 0.0)
            if s >= 2 and ext[s] != 0 and ext[s] != ext[s - 2]:
                total = total + alpha[t - 1, s - 2]
            alpha[t, s] = total * probs[t, ext[s]]
    return alpha


@figure
def spectrogram_and_posteriors() -> Figure:
    """左：一段按键音“3 3 7 0 1”的声谱图和真实的按键区间；右：CTC 模型每帧的输出概率，空白占了绝大多数帧。"""
    digits = "33701"
    wave, segments = dtmf_clip(digits, seed=3)
    features = dtmf_features(wave[None])
    net = train_dtmf(6)
    with torch.no_grad():
        probs = net(features.to(next(net.parameters()).device))[0].exp().cpu()  # (T, 11)
    fig, (top, bottom) = new_figure(2, width=9.6, height=3.6)
    spec = torch.log(torch.stft(wave, N_FFT, HOP, window=torch.hann_window(N_FFT), center=False, return_complex=True).abs() ** 2 + 1e-6)
    frames = spec.shape[1]
    seconds = (torch.arange(frames) * HOP + N_FFT / 2) / SAMPLE_RATE
    top.pcolormesh(
        seconds.numpy(), (torch.arange(N_FFT // 2 + 1) * SAMPLE_RATE / N_FFT).numpy(), spec.detach().numpy(),
        shading="nearest", cmap="magma",
    )
    top.set_ylim(0, 2000)
    for start, end, digit in segments:
        top.axvspan(start / SAMPLE_RATE, end / SAMPLE_RATE, ymin=0.93, ymax=1.0, color="white", alpha=0.8)
        top.text((start + end) / 2 / SAMPLE_RATE, 1900, digit, ha="center", va="center", fontsize=9)
    top.set_xlabel("时间（秒）")
    top.set_ylabel("频率（Hz）")
    top.set_title("声谱图：每个数字是一高一低两条亮线")
    top.grid(False)
    bottom.plot(seconds, probs[:, 0], color="0.6", lw=1.2, label="空白")
    colors = ["tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown", "tab:pink", "tab:olive", "tab:cyan", "black"]
    for k in range(1, probs.shape[1]):
        if probs[:, k].max() > 0.3:
            bottom.plot(seconds, probs[:, k], color=colors[k - 1], lw=1.6, label=f"数字 {k - 1}")
    decoded = "".join(str(k - 1) for k in ctc_greedy_decode(probs.log()[:, None])[0])
    bottom.set_xlabel("时间（秒）")
    bottom.set_ylabel("每帧的概率")
    bottom.set_title(f"CTC 输出：尖峰之间全是空白，贪心解码得到 {decoded}")
    bottom.legend(fontsize=7, ncols=2)
    return fig


@figure
def ctc_trellis_figure() -> Figure:
    """标签“1 1”在 6 帧上的 CTC 格子：扩展序列 ∅ 1 ∅ 1 ∅ 的每个位置、每一帧的 α，以及允许的转移。"""
    probs = torch.tensor([[0.5, 0.4, 0.1]] * 6, dtype=torch.float64)
    labels = [1, 1]
    alpha = ctc_trellis(labels, probs)
    names = ["∅", "1", "∅", "1", "∅"]
    fig, (ax,) = new_figure(1, width=6.8, height=3.4)
    T, S = alpha.shape
    for t in range(T - 1):
        for s in range(S):
            for ds in (0, 1, 2):
                target = s + ds
                if target >= S or (ds == 2 and names[target] == "∅"):
                    continue
                if ds == 2 and names[target] == names[s]:  # 相同标签之间不能跳过空白
                    continue
                ax.annotate("", xy=(t + 1, target), xytext=(t, s),
                            arrowprops={"arrowstyle": "->", "color": "0.7", "lw": 0.8, "shrinkA": 9, "shrinkB": 9})
    reachable = alpha > 0
    for t in range(T):
        for s in range(S):
            value = float(alpha[t, s])
            shade = 0.25 + 0.75 * min(1.0, value * 8) if reachable[t, s] else 1.0
            ax.scatter(t, s, s=520, color="tab:blue" if reachable[t, s] else "0.92", alpha=shade)
            ax.text(t, s, f"{value:.3f}" if reachable[t, s] else "0", ha="center", va="center", fontsize=7)
    ax.set_xticks(range(T), [f"t={t + 1}" for t in range(T)])
    ax.set_yticks(range(S), names)
    ax.invert_yaxis()
    ax.set_xlim(-0.5, T - 0.5)
    ax.grid(False)
    ax.set_ylabel("扩展标签序列 l′")
    total = float(alpha[-1, -2:].sum())
    ax.set_title(f"标签 1 1 的前向变量 α：p(l|x) = 最后一列底部两格之和 = {total:.4f}", fontsize=10)
    return fig
