"""dlguide.models：docs/basics/unsuitable-datasets.md）。；各章共用的 data / models / training / gradients。"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from dlguide.models import (
    ACTIVATIONS,
    BiLSTMTagger,
    RecurrentNet,
    ResidualBlock,
    digits_cnn,
    mlp,
    residual_mlp,
    small_cnn,
)


def test_digits_cnn_shapes_and_parameter_count() -> None:
    net = digits_cnn(8, seed=0)
    assert net(torch.zeros(3, 64)).shape == (3, 10)
    convs = [m for m in net if isinstance(m, nn.Conv2d)]
    assert [tuple(c.weight.shape) for c in convs] == [(8, 1, 3, 3), (16, 8, 3, 3)]


def test_mlp_structure() -> None:
    net = mlp([3, 4, 4, 2], "relu", batch_norm=True, seed=0)
    kinds = [type(m).__name__ for m in net]
    assert kinds == ["Linear", "BatchNorm1d", "ReLU", "Linear", "BatchNorm1d", "ReLU", "Linear"]
    assert set(ACTIVATIONS) >= {"sigmoid", "tanh", "relu"}


def test_residual_mlp_structure_and_errors() -> None:

    net = residual_mlp(3, 5, 4, 2, "tanh", batch_norm=True, seed=0)
    assert sum(isinstance(m, ResidualBlock) for m in net) == 4
    assert net(torch.randn(6, 3)).shape == (6, 2)
    # 残差块的 Jacobian = I + ∂F/∂h
    block = ResidualBlock(3, "tanh")
    h = torch.randn(3)
    J = torch.autograd.functional.jacobian(lambda v: block(v.unsqueeze(0)).squeeze(0), h)
    JF = torch.autograd.functional.jacobian(lambda v: block.act(block.linear(v)), h)
    torch.testing.assert_close(J, torch.eye(3) + JF)
    with pytest.raises(ValueError, match=r"depth 必须在 \[1, 1000\] 内"):
        residual_mlp(3, 5, 0, 2)
    with pytest.raises(ValueError, match="activation 必须是"):
        residual_mlp(3, 5, 1, 2, "swish")
    with pytest.raises(ValueError, match="activation 必须是"):
        ResidualBlock(3, "swish")


def test_bilstm_tagger_padding_does_not_change_results() -> None:
    model = BiLSTMTagger(20, 5, embedding_dim=6, hidden=5, seed=0)
    model.eval()
    alone = model(torch.tensor([[3, 4, 5]]))
    padded = model(torch.tensor([[3, 4, 5, 0, 0], [6, 7, 8, 9, 10]]))
    torch.testing.assert_close(padded[0, :3], alone[0])
    assert [len(p) for p in model.decode(torch.tensor([[3, 4, 5, 0, 0], [6, 7, 8, 9, 10]]))] == [3, 5]


def test_bilstm_tagger_losses() -> None:
    X = torch.tensor([[3, 4, 0], [5, 6, 7]])
    y = torch.tensor([[1, 2, -100], [0, 0, 1]])
    crf_model = BiLSTMTagger(10, 3, embedding_dim=4, hidden=4)
    torch.testing.assert_close(crf_model.loss(crf_model(X), y), crf_model.crf.nll(crf_model(X), y))
    soft = BiLSTMTagger(10, 3, embedding_dim=4, hidden=4, crf=False)
    em = soft(X)
    expected = nn.functional.cross_entropy(em[X != 0], y[X != 0])
    torch.testing.assert_close(soft.loss(em, y), expected)
    assert soft.decode(X) == [row[: int(n)] for row, n in zip(em.argmax(-1).tolist(), (X != 0).sum(1).tolist())]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: BiLSTMTagger(1, 3), ValueError, "vocab_size 必须在"),
        (lambda: BiLSTMTagger(5, 3, crf="yes"), TypeError, "crf 必须是 True 或 False"),
        (lambda: BiLSTMTagger(5, 3)(torch.zeros(1, 2)), TypeError, "X 必须是整数张量"),
        (lambda: BiLSTMTagger(5, 3)(torch.tensor([[1, 2], [0, 0]])), ValueError, "至少要有一个非填充"),
    ],
)
def test_bilstm_tagger_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("attention", [None, "dot", "additive"])
def test_seq2seq_step_matches_teacher_forced_forward(attention: str | None) -> None:
    from dlguide.data import teacher_forcing_pairs  # noqa: PLC0415
    from dlguide.models import Seq2Seq  # noqa: PLC0415

    net = Seq2Seq(11, 9, embed=6, hidden=10, attention=attention, seed=0).double().eval()
    src = torch.tensor([[4, 5, 6, 7, 8], [9, 4, 0, 0, 0]])
    tgt = torch.tensor([[5, 6, 7, 2], [8, 2, 0, 0]])
    pair, _ = teacher_forcing_pairs(src, tgt)
    with torch.no_grad():
        logits = torch.log_softmax(net(pair), -1)
        state = net.encode(src)
        for t in range(tgt.shape[1]):
            log_probs, state = net.step(pair[:, 1, t], state)
            torch.testing.assert_close(log_probs, logits[:, t])
    # sequence_log_prob 是目标各位置对数概率之和（不含填充）
    expected = torch.stack([logits[0, :4].gather(1, tgt[0, :, None]).sum(), logits[1, :2].gather(1, tgt[1, :2, None]).sum()])
    torch.testing.assert_close(net.sequence_log_prob(src, tgt), expected)


@pytest.mark.parametrize("attention", [None, "dot", "additive"])
def test_seq2seq_ignores_extra_padding(attention: str | None) -> None:
    from dlguide.models import Seq2Seq  # noqa: PLC0415

    net = Seq2Seq(11, 9, embed=6, hidden=10, attention=attention, seed=1).double().eval()
    src = torch.tensor([[4, 5, 6, 0]])
    with torch.no_grad():
        a, b = net.encode(src), net.encode(torch.nn.functional.pad(src, (0, 3)))
        torch.testing.assert_close(a[0], b[0])  # 打包后，最后状态与填充多少无关
        tokens = torch.tensor([1])
        torch.testing.assert_close(net.step(tokens, a)[0], net.step(tokens, b)[0])


def test_seq2seq_attention_weights_are_distributions() -> None:
    from dlguide.models import Seq2Seq  # noqa: PLC0415

    net = Seq2Seq(11, 9, embed=6, hidden=10, attention="additive", seed=0)
    pair = torch.tensor([[[4, 5, 6, 0], [1, 5, 6, 7]]])
    w = net.attention_weights(pair)
    torch.testing.assert_close(w.sum(-1), torch.ones(1, 4))
    assert w[..., 3].abs().sum() == 0


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"attention": "luong"}, ValueError, "attention 必须是"),
        ({"hidden": 7}, ValueError, "hidden 必须是偶数"),
        ({"hidden": 10**9}, ValueError, "hidden 必须在"),
        ({"src_vocab": 2}, ValueError, "src_vocab 必须在"),
        ({"seed": -1}, ValueError, "seed 必须在"),
    ],
)
def test_seq2seq_errors(kwargs: dict, error: type, message: str) -> None:
    from dlguide.models import Seq2Seq  # noqa: PLC0415

    args = {"src_vocab": 11, "tgt_vocab": 9} | kwargs
    with pytest.raises(error, match=message):
        Seq2Seq(args.pop("src_vocab"), args.pop("tgt_vocab"), **args)


def test_seq2seq_rejects_bad_pairs() -> None:
    from dlguide.models import Seq2Seq  # noqa: PLC0415

    net = Seq2Seq(11, 9, embed=4, hidden=4)
    with pytest.raises(ValueError, match="pair 必须是 \\(B, 2, L\\)"):
        net(torch.zeros(1, 3, 4, dtype=torch.long))
    with pytest.raises(TypeError, match="pair 必须是整数张量"):
        net(torch.zeros(1, 2, 4))
    with pytest.raises(ValueError, match="没有注意力权重"):
        net.attention_weights(torch.ones(1, 2, 4, dtype=torch.long))


@pytest.mark.parametrize("kind", ["rnn", "gru", "lstm"])
def test_recurrent_net_heads_and_layers(kind: str) -> None:
    x = torch.randn(5, 7, 3)
    last = RecurrentNet(kind, 3, 6, 2, num_layers=2, seed=0)
    assert isinstance(last.rnn, {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}[kind])
    assert last.rnn.batch_first and last.rnn.num_layers == 2
    states, _ = last.rnn(x)
    torch.testing.assert_close(last(x), last.head(states[:, -1]))  # N→1：只用最后一步
    every = RecurrentNet(kind, 3, 6, 2, every_step=True, seed=0)
    assert every(x).shape == (5, 7, 2)  # N→N：每一步
    # 同一个种子 → 同样的参数
    again = RecurrentNet(kind, 3, 6, 2, num_layers=2, seed=0)
    assert all(torch.equal(a, b) for a, b in zip(last.parameters(), again.parameters()))


def test_recurrent_net_forget_bias_and_errors() -> None:
    net = RecurrentNet("lstm", 2, 4, 1, forget_bias=2.0)
    total = net.rnn.bias_ih_l0 + net.rnn.bias_hh_l0
    assert total.view(4, 4)[1].tolist() == [2.0] * 4
    with pytest.raises(ValueError, match="forget_bias 只适用于 kind='lstm'"):
        RecurrentNet("gru", 2, 4, 1, forget_bias=1.0)
    with pytest.raises(ValueError, match="kind 必须是"):
        RecurrentNet("transformer", 2, 4, 1)
    with pytest.raises(ValueError, match="hidden_size 必须在"):
        RecurrentNet("rnn", 2, 10**9, 1)
    with pytest.raises(TypeError, match="every_step 必须是 True 或 False"):
        RecurrentNet("rnn", 2, 4, 1, every_step="yes")


def test_recurrent_net_rejects_bad_input() -> None:
    net = RecurrentNet("gru", 3, 4, 1)
    with pytest.raises(ValueError, match=r"x 的形状必须是 \(B, T, 3\)"):
        net(torch.zeros(2, 5, 2))
    with pytest.raises(TypeError, match="x 的 dtype 必须与模型参数相同"):
        net(torch.zeros(2, 5, 3, dtype=torch.float64))
    with pytest.raises(TypeError, match="x 必须是 torch.Tensor"):
        net([[0.0, 0.0, 0.0]])
    with pytest.raises(ValueError, match="forget_bias 必须是有限实数"):
        RecurrentNet("lstm", 3, 4, 1, forget_bias=float("nan"))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: mlp([2, 10**9]), ValueError, r"sizes 的每个宽度必须在 \[1, 100000\] 内"),
        (lambda: mlp([100_000, 100_000, 2]), ValueError, "参数，上限 10\\*\\*8"),
        (lambda: mlp([2, 2], 1), TypeError, "activation 必须是字符串"),
        (lambda: mlp([2, 2], batch_norm="no"), TypeError, "batch_norm 必须是 True 或 False"),
        (lambda: mlp([2, 2], seed=-1), ValueError, "seed 必须在"),
        (lambda: mlp([2, 2], seed=2.5), TypeError, "seed 必须是整数或 None"),
        (lambda: residual_mlp(2, 4, 10**9, 2), ValueError, r"depth 必须在 \[1, 1000\] 内"),
        (lambda: residual_mlp(2, 10**9, 1, 2), ValueError, r"width 必须在 \[1, 10000\] 内"),
        (lambda: residual_mlp(2, 10_000, 1000, 2), ValueError, "参数，上限"),
        (lambda: residual_mlp(2, 4, 1, 2, batch_norm=None), TypeError, "batch_norm 必须是 True 或 False"),
        (lambda: ResidualBlock(0), ValueError, r"width 必须在 \[1, 10000\] 内"),
        (lambda: ResidualBlock("4"), TypeError, "width 必须是整数"),
        (lambda: ResidualBlock(4, batch_norm="yes"), TypeError, "batch_norm"),
        (lambda: ResidualBlock(4)(torch.zeros(2, 3)), ValueError, "h 的最后一维必须是 width = 4"),
        (lambda: ResidualBlock(4)(torch.tensor(1.0)), ValueError, "h 的最后一维"),
        (lambda: ResidualBlock(4)(torch.zeros(2, 4, dtype=torch.float64)), TypeError, "h 的 dtype"),
        (lambda: ResidualBlock(4)([[0.0] * 4]), TypeError, "h 必须是 torch.Tensor"),
        (lambda: ResidualBlock(4, batch_norm=True)(torch.zeros(1, 4)), ValueError, "N ≥ 2"),
        (lambda: digits_cnn(10**9), ValueError, r"channels 必须在 \[1, 1024\] 内"),
        (lambda: digits_cnn(seed="0"), TypeError, "seed 必须是整数或 None"),
        (lambda: small_cnn(seed=-1), ValueError, "seed 必须在"),
    ],
)
def test_models_refuse_bad_input(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


def test_seed_none_does_not_reseed() -> None:
    torch.manual_seed(3)
    a = small_cnn(seed=None)
    torch.manual_seed(3)
    b = small_cnn(seed=None)
    c = small_cnn(seed=None)
    assert torch.equal(a[0].weight, b[0].weight) and not torch.equal(b[0].weight, c[0].weight)


def test_check_sequence_input_checks_name() -> None:
    from dlguide.models import check_sequence_input  # noqa: PLC0415

    for bad in (None, 1, ""):
        with pytest.raises(TypeError, match="name"):
            check_sequence_input(torch.zeros(2, 5, 4), nn.GRU(4, 8, batch_first=True), bad)
