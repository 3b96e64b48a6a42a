"""dlguide.pages.applications.object_detection（页面：docs/applications/object-detection.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch

from dlguide.detection import yolo_loss
from dlguide.pages.applications.object_detection import TinyYOLO, detect, detection_data, sliding_window_net


def test_sliding_window_equivalence_on_a_larger_image() -> None:
    net = sliding_window_net(seed=3)
    image = torch.rand(2, 1, 20, 14, generator=torch.Generator().manual_seed(1))
    once = net(image)  # (2, 10, 7, 4)
    for i in range(once.shape[2]):
        for j in range(once.shape[3]):
            window = net(image[:, :, 2 * i : 2 * i + 8, 2 * j : 2 * j + 8])[:, :, 0, 0]
            torch.testing.assert_close(once[:, :, i, j], window)


def test_detector_output_has_the_target_layout() -> None:
    images, targets, _, _ = detection_data(8, seed=2)
    net = TinyYOLO()
    out = net(images)
    assert out.shape == targets.shape
    loss = yolo_loss(out, targets)
    loss.backward()
    assert all(p.grad is not None for p in net.parameters())


def test_detect_applies_nms_per_image() -> None:
    net = TinyYOLO().eval()
    results = detect(net, torch.rand(3, 1, 24, 24), score_threshold=0.0, iou_threshold=1.0)
    assert len(results) == 3
    boxes, scores, labels = results[0]
    assert len(boxes) == 18  # 阈值 1.0：NMS 不删任何框，3×3 格 × 2 个锚框
    assert scores.tolist() == sorted(scores.tolist(), reverse=True)


def test_bad_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="n 必须在"):
        detection_data(10**9)
    with pytest.raises(ValueError, match="channels 必须在"):
        TinyYOLO(channels=0)
    with pytest.raises(TypeError, match="net 必须是"):
        detect("yolo", torch.zeros(1, 1, 24, 24))
    with pytest.raises(ValueError, match="images 必须是 4 维"):
        detect(TinyYOLO(), torch.zeros(24, 24))
