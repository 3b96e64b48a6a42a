"""dlguide.pages.sequence.speech_recognition（页面：docs/sequence/speech-recognition.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from dlguide.audio import spectrogram
from dlguide.ctc import ctc_loss
from dlguide.pages.sequence.speech_recognition import (
    DTMF_KEYS,
    HOP,
    N_FFT,
    SAMPLE_RATE,
    ctc_objective,
    ctc_trellis,
    dtmf_clip,
    make_dtmf_dataset,
)


@pytest.mark.parametrize("seed", range(5))
def test_clip_segments_and_spectrum(seed: int) -> None:
    digits = "11" + "0123456789"[seed] + "99"
    x, segments = dtmf_clip(digits, seed=seed)
    assert [d for _, _, d in segments] == list(digits)
    for (_, e0, d0), (s1, _, d1) in zip(segments[:-1], segments[1:]):
        assert e0 <= s1
        if d0 == d1:
            assert s1 - e0 >= 160  # 连按同一个键至少停顿 20 ms
    # 每段中间那一帧，能量最大的两个频率点就是这个键的两个频率（±1 个频率点，含 ±1.5% 的抖动）
    S = spectrogram(x, n_fft=N_FFT, hop_length=HOP, win_length=N_FFT, log=False)
    for start, end, digit in segments:
        if end - start < N_FFT + HOP:
            continue
        frame = ((start + end) // 2 - N_FFT // 2) // HOP
        peaks = sorted(S[:, frame].topk(2).indices.tolist())
        expected = [round(f * N_FFT / SAMPLE_RATE) for f in DTMF_KEYS[digit]]
        assert all(abs(p - e) <= 1 for p, e in zip(peaks, expected))


def test_dataset_labels_match_texts() -> None:
    X, y, texts = make_dtmf_dataset(20, seed=4)
    assert X.shape == (20, 129, 39)
    for row, text in zip(y.tolist(), texts):
        assert row[: len(text)] == [int(d) + 1 for d in text] and set(row[len(text) :]) <= {0}
    torch.testing.assert_close(X.mean(dim=(1, 2)), torch.zeros(20), atol=1e-5, rtol=0)


@pytest.mark.parametrize("labels", [[1], [1, 1], [2, 1, 2]])
def test_trellis_agrees_with_ctc_loss(labels: list[int]) -> None:
    g = torch.Generator().manual_seed(len(labels))
    log_probs = torch.randn(7, 3, generator=g, dtype=torch.float64).log_softmax(1)
    table = ctc_trellis(labels, log_probs.exp())
    loss = ctc_loss(log_probs[:, None], torch.tensor([labels]), torch.tensor([7]), torch.tensor([len(labels)]), reduction="sum")
    assert table[-1, -2:].sum().item() == pytest.approx(torch.exp(-loss).item(), rel=1e-10)


def test_objective_matches_pytorch() -> None:
    g = torch.Generator().manual_seed(0)
    log_probs = torch.randn(4, 39, 11, generator=g, dtype=torch.float64).log_softmax(2)
    targets = torch.tensor([[3, 4, 0, 0, 0], [5, 5, 6, 0, 0], [1, 2, 3, 4, 5], [9, 0, 0, 0, 0]])
    expected = F.ctc_loss(log_probs.transpose(0, 1), targets, torch.full((4,), 39), (targets != 0).sum(1))
    torch.testing.assert_close(ctc_objective(log_probs, targets), expected)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: dtmf_clip("12a"), ValueError, "digits 必须是 1–5 个数字字符"),
        (lambda: dtmf_clip("123456"), ValueError, "digits 必须是 1–5 个数字字符"),
        (lambda: make_dtmf_dataset(10**9), ValueError, "n 必须在"),
        (lambda: ctc_trellis([0], torch.ones(2, 3)), ValueError, "labels 必须是"),
        (lambda: ctc_objective(torch.zeros(1, 4, 11), torch.zeros(1, 5)), TypeError, "targets 必须是整数张量"),
    ],
)
def test_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


def test_ctc_helpers_name_the_mismatched_argument() -> None:
    from dlguide.pages.sequence.speech_recognition import ctc_objective, ctc_trellis  # noqa: PLC0415

    log_probs = torch.log_softmax(torch.zeros(2, 5, 3), dim=-1)
    with pytest.raises(ValueError, match="targets"):
        ctc_objective(log_probs, torch.zeros(0, 2, dtype=torch.long))
    with pytest.raises(ValueError, match="probs"):
        ctc_trellis([2], torch.full((3, 2), 0.5))
