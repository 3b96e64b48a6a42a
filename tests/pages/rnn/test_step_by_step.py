"""dlguide.pages.rnn.step_by_step（页面：docs/rnn/step-by-step.md）：四种结构的任务与模型。"""

from __future__ import annotations

import pytest
import torch

from dlguide.pages.rnn.step_by_step import (
    EncoderDecoder,
    OneToMany,
    echo_task,
    pair_sum_task,
    sign_of_sum_task,
    sine_task,
)


def test_tasks_are_deterministic_and_shaped() -> None:
    for task in (echo_task, sign_of_sum_task, sine_task, pair_sum_task):
        a, b = task(8, 4, seed=2), task(8, 4, seed=2)
        assert all(torch.equal(x, y) for x, y in zip(a, b, strict=True))
    X, Y = echo_task(8, 5)
    assert X.shape == Y.shape == (8, 5, 1)
    omega, waves = sine_task(8, 7)
    assert omega.shape == (8, 1) and waves.shape == (8, 7)
    assert bool(((omega >= 0.5) & (omega <= 1.5)).all())
    X, sums = pair_sum_task(8, 4)
    assert X.shape == (8, 8, 1) and sums.shape == (8, 4)


def test_models_shapes_and_encoder_decoder_uses_only_the_final_state() -> None:
    assert OneToMany(2, 4, 6)(torch.zeros(3, 2)).shape == (3, 6)
    model = EncoderDecoder(1, 5, 2)
    X = torch.randn(3, 6, 1)
    torch.testing.assert_close(model(X), model(X))
    _, context = model.encoder(X)
    states, _ = model.decoder(torch.zeros(3, 2, 1), context)
    torch.testing.assert_close(model(X), model.head(states).squeeze(-1))


def test_errors() -> None:
    with pytest.raises(ValueError, match="steps 必须在"):
        echo_task(4, 1)
    with pytest.raises(ValueError, match="n 必须在"):
        sign_of_sum_task(10**9)
    with pytest.raises(ValueError, match="pairs 必须在"):
        pair_sum_task(4, 0)
    with pytest.raises(ValueError, match="seed 必须在"):
        sine_task(4, seed=-1)
    with pytest.raises(ValueError, match="out_steps 必须在"):
        EncoderDecoder(out_steps=0)
    with pytest.raises(ValueError, match="x 必须是 2 维张量"):
        OneToMany()(torch.zeros(2, 3, 1))
