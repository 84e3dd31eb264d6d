"""``outbox``: the platform's exits hold their calls while an outbox holds, and ``release`` lets them out in order."""
import types

from tahoe_registration_plugin import outbox


def make_exits():
    """An owner with one exit (a recorded call), made an exit that outboxes hold."""
    sent = []
    owner = types.SimpleNamespace(send=lambda *args, **kwargs: sent.append((args, kwargs)) or "answer")
    outbox.hold_at(owner, "send")
    return owner, sent


def test_without_an_outbox_holding_an_exit_sends_at_once():
    owner, sent = make_exits()

    assert owner.send(1, key="value") == "answer"
    assert sent == [((1,), {"key": "value"})]


def test_while_holding_calls_are_kept_in_order_and_released_once():
    owner, sent = make_exits()
    box = outbox.Outbox()

    with box.holding():
        assert owner.send("first") == []  # what a signal's send answers when no one listened
        owner.send("second")
    assert not sent
    owner.send("after the block")  # not held: the block is over
    box.release()
    box.release()

    assert sent == [(("after the block",), {}), (("first",), {}), (("second",), {})]


def test_an_outbox_that_is_never_released_sends_nothing():
    owner, sent = make_exits()

    with outbox.Outbox().holding():
        owner.send("rolled back")

    assert not sent


def test_an_outer_outbox_keeps_holding_what_an_inner_one_sees():
    owner, sent = make_exits()
    outer, inner = outbox.Outbox(), outbox.Outbox()

    with outer.holding():
        with inner.holding():
            owner.send("inside")
        inner.release()
        assert not sent
    outer.release()

    assert sent == [(("inside",), {})]


def test_a_held_call_that_fails_is_logged_and_the_others_still_go_out(caplog):
    owner, sent = make_exits()

    def failing():
        raise RuntimeError("receiver broke")

    owner.fail = failing
    outbox.hold_at(owner, "fail")
    box = outbox.Outbox()
    with box.holding():
        owner.fail()
        owner.send("still sent")
    box.release()

    assert sent == [(("still sent",), {})]
    assert "A held call failed after the commit: " in caplog.text and "<locals>.failing" in caplog.text


def test_an_exit_is_wrapped_once_and_capture_adapts_the_held_call():
    owner, sent = make_exits()
    wrapped = owner.send
    outbox.hold_at(owner, "send")
    assert owner.send is wrapped

    captured = []
    other = types.SimpleNamespace(emit=sent.append)

    def capture(function, *args, **kwargs):
        captured.append(args)
        return lambda: function(*args, **kwargs)

    outbox.hold_at(other, "emit", capture=capture)
    box = outbox.Outbox()
    with box.holding():
        other.emit("event")
    assert captured == [("event",)] and not sent
    box.release()

    assert sent == ["event"]
