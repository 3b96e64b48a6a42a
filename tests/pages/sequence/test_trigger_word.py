"""dlguide.pages.sequence.trigger_word（页面：docs/sequence/trigger-word.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch

from dlguide.pages.sequence.trigger_word import (
    CLIP_SAMPLES,
    OUTPUT_STEPS,
    TriggerDetector,
    detect_events,
    event_precision_recall,
    make_trigger_dataset,
    trigger_clip,
    trigger_labels,
)


@pytest.mark.parametrize("seed", range(8))
def test_clip_events_do_not_overlap_and_leave_a_tail(seed: int) -> None:
    x, ends, events = trigger_clip(2, 3, seed=seed)
    assert x.shape == (CLIP_SAMPLES,)
    for (_, e0, _), (s1, _, _) in zip(events[:-1], events[1:]):
        assert e0 + 400 <= s1
    assert all(e + 2000 <= CLIP_SAMPLES for _, e, _ in events)
    assert ends == sorted(e for _, e, kind in events if kind == "trigger")


@pytest.mark.parametrize("label_steps", [1, 5])
def test_labels_start_strictly_after_the_trigger_ends(label_steps: int) -> None:
    _, y, ends = make_trigger_dataset(30, label_steps=label_steps, seed=2)
    for row, steps in zip(y, ends):
        expected = torch.zeros(OUTPUT_STEPS)
        for step in steps:
            assert row[step] == 0 or any(0 < step - s <= label_steps for s in steps)
            expected[step + 1 : step + 1 + label_steps] = 1
        assert torch.equal(row, expected)


def test_trigger_labels_match_the_dataset_labels() -> None:
    _, y, ends = make_trigger_dataset(20, label_steps=3, seed=4)
    assert torch.equal(trigger_labels(ends, label_steps=3), y)


def test_output_step_t_sees_frames_up_to_2t_plus_2() -> None:
    net = TriggerDetector(seed=0).eval()
    x = torch.randn(1, 129, 99, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        base = net(x)
        for frame in (20, 21, 22, 23, 60):
            y = x.clone()
            y[:, :, frame] += 1.0
            changed = ((net(y) - base)[0] != 0).nonzero().flatten().tolist()
            assert changed[0] == (frame - 1) // 2  # 最早受影响的输出步 t：2t + 2 ≥ frame


def test_detect_events_refractory() -> None:
    probs = torch.tensor([0.9, 0.1, 0.9, 0.1, 0.1, 0.1, 0.1, 0.1, 0.9])
    assert detect_events(probs, refractory=0) == [0, 2, 8]
    assert detect_events(probs, refractory=3) == [0, 8]
    assert detect_events(probs, threshold=0.95) == []


def test_event_precision_recall_counts() -> None:
    probs = torch.zeros(3, 20)
    probs[0, 6] = 0.9  # 对：触发声在第 5 步结束
    probs[1, 15] = 0.9  # 错：太晚
    ends = [[5], [2], []]
    assert event_precision_recall(probs, ends, tolerance=3) == (0.5, 0.5)
    assert event_precision_recall(torch.zeros(3, 20), ends) == (0.0, 0.0)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: trigger_clip(4, 0), ValueError, "triggers 必须在"),
        (lambda: make_trigger_dataset(5, label_steps=0), ValueError, "label_steps 必须在"),
        (lambda: trigger_labels([[3]], label_steps=21), ValueError, "label_steps 必须在"),
        (lambda: trigger_labels([[50]]), ValueError, "trigger_ends 的元素 必须在"),
        (lambda: trigger_labels([3]), TypeError, "trigger_ends 的每一项必须是整数列表"),
        (lambda: trigger_labels([]), TypeError, "trigger_ends 必须是非空列表"),
        (lambda: detect_events(torch.zeros(3), threshold=1.0), ValueError, "threshold 必须在"),
        (lambda: detect_events([0.1, 0.9]), TypeError, "probs 必须是 torch.Tensor"),
        (lambda: event_precision_recall(torch.zeros(2, 5), [[1]]), ValueError, "trigger_ends 必须是与 probs 等长"),
    ],
)
def test_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()
