"""dlguide.audio：声谱图与按定义分帧、加窗、FFT 的 numpy 计算对照；合成信号的频率与信噪比。"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from dlguide.audio import add_noise, chirp, spectrogram, tone


@pytest.mark.parametrize(("n_fft", "hop", "win"), [(256, 80, 200), (128, 64, 128), (64, 10, 33)])
def test_spectrogram_matches_framewise_fft(n_fft: int, hop: int, win: int) -> None:
    x = torch.randn(1000, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    S = spectrogram(x, n_fft=n_fft, hop_length=hop, win_length=win, log=False).numpy()
    # torch.stft 把长 win 的窗居中放进长 n_fft 的帧里
    window = np.zeros(n_fft)
    left = (n_fft - win) // 2
    window[left : left + win] = np.hanning(win + 1)[:-1]  # 周期汉宁窗，与 torch.hann_window 相同
    frames = 1 + (len(x) - n_fft) // hop
    expected = np.stack([np.abs(np.fft.rfft(x.numpy()[t * hop : t * hop + n_fft] * window)) ** 2 for t in range(frames)], axis=1)
    assert S.shape == expected.shape
    np.testing.assert_allclose(S, expected, rtol=1e-9, atol=1e-9)


def test_log_spectrogram_and_batch() -> None:
    x = torch.stack([tone(500.0, 0.2), tone(1500.0, 0.2)])
    S = spectrogram(x)
    assert S.shape == (2, 129, 1 + (1600 - 256) // 80)
    assert S[0].mean(1).argmax().item() == 16 and S[1].mean(1).argmax().item() == 48  # 500/31.25, 1500/31.25
    torch.testing.assert_close(S, torch.log(spectrogram(x, log=False) + 1e-6))


def test_chirp_instantaneous_frequency() -> None:
    x = chirp(500.0, 1500.0, 1.0)
    S = spectrogram(x, log=False)
    peaks = S.argmax(0).float() * 8000 / 256  # 每帧能量最大的频率
    assert peaks[0].item() == pytest.approx(500 + 1000 * (128 / 8000), abs=40)
    assert peaks[-1].item() == pytest.approx(1500 - 1000 * (128 / 8000), abs=40)
    assert bool((peaks[1:] >= peaks[:-1]).all())


@pytest.mark.parametrize("snr", [-5.0, 0.0, 20.0])
def test_add_noise_hits_the_snr(snr: float) -> None:
    x = tone((440.0, 660.0), 0.5)
    noise = add_noise(x, snr, seed=3).double() - x.double()
    assert 10 * math.log10(x.double().pow(2).mean().item() / noise.pow(2).mean().item()) == pytest.approx(snr, abs=1e-3)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: tone(5000.0, 0.1), ValueError, "frequencies 必须在"),
        (lambda: tone((), 0.1), ValueError, "frequencies 不能为空"),
        (lambda: tone(440.0, 0.0), ValueError, "duration 必须在"),
        (lambda: tone(440.0, 1e9), ValueError, "duration 必须在"),
        (lambda: tone(440.0, 0.1, sample_rate=10**9), ValueError, "sample_rate 必须在"),
        (lambda: chirp(100.0, float("nan"), 0.1), ValueError, "f1 必须在"),
        (lambda: add_noise(torch.zeros(0), 10.0), ValueError, "signal 不能是空张量"),
        (lambda: spectrogram(torch.zeros(100)), ValueError, "signal 的长度必须 ≥ n_fft"),
        (lambda: spectrogram(torch.zeros(300), win_length=300), ValueError, "win_length 必须在"),
        (lambda: spectrogram([0.0] * 300), TypeError, "signal 必须是 torch.Tensor"),
    ],
)
def test_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()
