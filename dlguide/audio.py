r"""合成音频与声谱图：正弦音、线性调频（chirp）、加噪，以及用 ``torch.stft`` 算的对数功率谱。

语音模型很少直接吃波形：先把信号切成有重叠的短帧（语音里常用 25 ms 窗、10 ms 帧移），
每帧乘一个窗函数再做离散傅里叶变换，得到“时间 × 频率”的声谱图

$$
X_t(k) = \sum_{n=0}^{N-1} w(n)\, x(tH + n)\, e^{-2\pi i k n / N}, \qquad
S_t(k) = \log\bigl(|X_t(k)|^2 + \varepsilon\bigr),
$$

$H$ 是帧移、$N$ 是 FFT 长度、$w$ 是汉宁窗。这里不依赖 torchaudio。
"""

from __future__ import annotations

import math

import torch

from dlguide._checks import check_bool, check_in_range, check_int, check_positive, check_seed, check_tensor

__all__ = [
    "add_noise",
    "chirp",
    "spectrogram",
    "tone",
]

MAX_SAMPLE_RATE = 192_000
"""采样率上限（Hz）与单段信号的最长时长（秒）：更长的信号在读者的 CPU 上没有必要。"""
MAX_SECONDS = 600.0


def _check_rate_duration(duration: float, sample_rate: int) -> int:
    check_int(sample_rate, "sample_rate", low=1, high=MAX_SAMPLE_RATE)
    check_in_range(duration, "duration", 0.0, MAX_SECONDS, low_open=True)
    return round(duration * sample_rate)


def tone(
    frequencies: float | tuple[float, ...], duration: float, sample_rate: int = 8000, amplitude: float = 0.5
) -> torch.Tensor:
    r"""若干个正弦波之和 $x(n) = \frac{a}{m}\sum_{i=1}^{m}\sin(2\pi f_i n / f_s)$，float32。

    Parameters
    ----------
    frequencies : float or tuple of float
        一个或几个频率（Hz），每个在 $(0, f_s/2)$ 内（奈奎斯特频率以下）。
    duration : float
        时长（秒），在 (0, 600] 内。
    sample_rate : int
        采样率 $f_s$（Hz）。
    amplitude : float
        总幅度 $a$，在 [0, 1] 内。

    Returns
    -------
    torch.Tensor
        形状 ``(round(duration * sample_rate),)``。

    Examples
    --------
    >>> x = tone((697.0, 1209.0), 0.05)  # 电话按键“1”的双音
    >>> x.shape[0], round(x.abs().max().item(), 2) <= 0.5
    (400, True)
    """
    n = _check_rate_duration(duration, sample_rate)
    check_in_range(amplitude, "amplitude", 0.0, 1.0)
    freqs = (frequencies,) if not isinstance(frequencies, tuple) else frequencies
    if not freqs:
        raise ValueError("frequencies 不能为空")
    for f in freqs:
        check_in_range(f, "frequencies", 0.0, sample_rate / 2, low_open=True, high_open=True)
    t = torch.arange(n, dtype=torch.float64) / sample_rate
    # x(n) = (a/m) Σ_i sin(2π f_i n / f_s)
    x = sum(torch.sin(2 * math.pi * f * t) for f in freqs) * (amplitude / len(freqs))
    return x.float()


def chirp(f0: float, f1: float, duration: float, sample_rate: int = 8000, amplitude: float = 0.5) -> torch.Tensor:
    r"""线性调频信号：频率在 ``duration`` 秒内从 $f_0$ 线性变到 $f_1$，$x(t) = a\sin\bigl(2\pi(f_0 t + \tfrac{f_1-f_0}{2D}t^2)\bigr)$。

    Parameters
    ----------
    f0, f1 : float
        起止频率（Hz），在 $(0, f_s/2)$ 内；$f_1<f_0$ 时是下行扫频。
    duration : float
        时长 $D$（秒）。
    sample_rate : int
        采样率（Hz）。
    amplitude : float
        幅度，在 [0, 1] 内。

    Returns
    -------
    torch.Tensor
        float32，形状 ``(round(duration * sample_rate),)``。

    Examples
    --------
    >>> x = chirp(500.0, 1500.0, 0.3)
    >>> x.shape[0]
    2400
    """
    n = _check_rate_duration(duration, sample_rate)
    check_in_range(f0, "f0", 0.0, sample_rate / 2, low_open=True, high_open=True)
    check_in_range(f1, "f1", 0.0, sample_rate / 2, low_open=True, high_open=True)
    check_in_range(amplitude, "amplitude", 0.0, 1.0)
    t = torch.arange(n, dtype=torch.float64) / sample_rate
    # 瞬时频率 f(t) = f0 + (f1 − f0) t / D 的积分：相位 2π (f0 t + (f1 − f0) t² / (2D))
    phase = 2 * math.pi * (f0 * t + (f1 - f0) * t**2 / (2 * duration))
    return (amplitude * torch.sin(phase)).float()


def add_noise(signal: torch.Tensor, snr_db: float, *, seed: int | None = 0) -> torch.Tensor:
    r"""按信噪比加高斯白噪声：噪声功率 $P_n = P_s / 10^{\mathrm{SNR}/10}$，$P_s$ 是信号的平均功率。

    Parameters
    ----------
    signal : torch.Tensor
        一维浮点信号，非空。
    snr_db : float
        信噪比（dB），在 [-30, 100] 内。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    torch.Tensor
        与 ``signal`` 同形状。

    Examples
    --------
    >>> x = tone(1000.0, 1.0)
    >>> noisy = add_noise(x, 10.0)
    >>> round(10 * math.log10(x.pow(2).mean().item() / (noisy - x).pow(2).mean().item()), 1)
    10.0
    """
    check_tensor(signal, "signal", ndim=1, nonempty=True)
    check_in_range(snr_db, "snr_db", -30.0, 100.0)
    check_seed(seed)
    g = None if seed is None else torch.Generator().manual_seed(seed)
    # P_n = P_s / 10^(SNR/10)
    noise_power = signal.double().pow(2).mean() / 10 ** (snr_db / 10)
    noise = torch.randn(signal.shape, generator=g, dtype=torch.float64)
    noise = noise / noise.pow(2).mean().sqrt() * noise_power.sqrt()
    return (signal.double() + noise).to(signal.dtype)


def spectrogram(
    signal: torch.Tensor,
    *,
    n_fft: int = 256,
    hop_length: int = 80,
    win_length: int = 200,
    log: bool = True,
    eps: float = 1e-6,
) -> torch.Tensor:
    r"""短时傅里叶变换的功率谱 $|X_t(k)|^2$（默认取对数），用 ``torch.stft`` 计算，汉宁窗，不在两端补零。

    默认值对应 8 kHz 采样率下 25 ms 的窗、10 ms 的帧移（语音识别的常用设置），FFT 长度 256（频率分辨率 31.25 Hz）。

    Parameters
    ----------
    signal : torch.Tensor
        ``(num_samples,)`` 或 ``(batch, num_samples)`` 的浮点张量，长度 ≥ ``n_fft``。
    n_fft : int
        FFT 长度 $N$，得到 $N/2+1$ 个频率点。
    hop_length : int
        帧移 $H$（采样点）。
    win_length : int
        窗长，≤ ``n_fft``（不足的部分补零）。
    log : bool
        为 ``True`` 时返回 $\log(|X|^2+\varepsilon)$。
    eps : float
        防止 $\log 0$ 的小数，> 0。

    Returns
    -------
    torch.Tensor
        ``(..., n_fft // 2 + 1, frames)``，``frames = 1 + (num_samples - n_fft) // hop_length``。

    Raises
    ------
    TypeError, ValueError
        信号不是一维或二维浮点张量、比 ``n_fft`` 短，或参数越界。

    Examples
    --------
    8 kHz 采样的 1000 Hz 正弦波，能量集中在第 $1000/31.25 = 32$ 个频率点：

    >>> S = spectrogram(tone(1000.0, 0.5))
    >>> tuple(S.shape), S.mean(dim=1).argmax().item()
    ((129, 47), 32)
    """
    check_tensor(signal, "signal", ndim=(1, 2), nonempty=True)
    check_int(n_fft, "n_fft", low=2, high=65_536)
    check_int(hop_length, "hop_length", low=1, high=65_536)
    check_int(win_length, "win_length", low=1, high=n_fft)
    check_bool(log, "log")
    check_positive(eps, "eps")
    if signal.shape[-1] < n_fft:
        raise ValueError(f"signal 的长度必须 ≥ n_fft={n_fft}，收到 {signal.shape[-1]}")
    window = torch.hann_window(win_length, dtype=signal.dtype, device=signal.device)
    # X_t(k) = Σ_n w(n) x(tH + n) e^{−2πikn/N}        (..., N/2+1, frames)
    X = torch.stft(signal, n_fft, hop_length=hop_length, win_length=win_length, window=window, center=False, return_complex=True)
    # |X_t(k)|²
    power = X.real**2 + X.imag**2
    # S_t(k) = log(|X_t(k)|² + ε)
    return torch.log(power + eps) if log else power
