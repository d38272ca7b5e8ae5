"""The state machines as declared match SPEC §2.1 and §2.2, transcribed here from the spec,
and `allowedTransitions` follows each role's grants and ownership."""

from __future__ import annotations

import uuid
from itertools import product

import pytest

from auth.actor import Actor
from auth.permissions import Role
from domain.enums import ActorType
from domain.jobs import JobStatus
from domain.orders import OrderStatus
from domain.workflow import Move, StateMachine
from resolvers.jobs.workflow import JOB_WORKFLOW
from resolvers.orders.workflow import ORDER_WORKFLOW
from resolvers.transitions import allowed_targets, system_actor
from tests.support.workflow_spec import JOB_MOVES, ORDER_MOVES

J = JobStatus
S = OrderStatus


@pytest.mark.parametrize(
    ("machine", "spec"), [(JOB_WORKFLOW, JOB_MOVES), (ORDER_WORKFLOW, ORDER_MOVES)]
)
def test_every_pair_is_allowed_exactly_when_the_spec_lists_it(machine, spec):
    for source, target in product(machine.statuses, repeat=2):
        assert (machine.move(source, target) is not None) == ((source, target) in spec), (
            source,
            target,
        )


def test_blocked_and_terminal_job_moves():
    # SPEC §2.1 "Blocked: NEW→IN_PRODUCTION, NEW→SHIPPED, ACCEPTED→SHIPPED, SHIPPED→anything."
    for source, target in [(J.NEW, J.IN_PRODUCTION), (J.NEW, J.SHIPPED), (J.ACCEPTED, J.SHIPPED)]:
        assert JOB_WORKFLOW.move(source, target) is None
    assert JOB_WORKFLOW.is_terminal(J.SHIPPED) and JOB_WORKFLOW.is_terminal(J.DECLINED)
    assert ORDER_WORKFLOW.is_terminal(S.FULFILLED) and ORDER_WORKFLOW.is_terminal(S.CANCELED)


def test_a_machine_refuses_a_move_declared_twice():
    move = Move(J.NEW, J.ACCEPTED, JOB_WORKFLOW.moves[0].permission, "twice")
    with pytest.raises(ValueError, match="declared twice"):
        StateMachine("X", JobStatus, J.NEW, (move, move), read=JOB_WORKFLOW.read)


def _actor(
    role: Role, manufacturer_id: uuid.UUID | None = None, customer_id: uuid.UUID | None = None
) -> Actor:
    return Actor(
        type=ActorType.USER,
        id="u",
        role=role,
        manufacturer_id=manufacturer_id,
        customer_id=customer_id,
    )


def test_allowed_transitions_follow_role_and_ownership():
    own, other = uuid.uuid4(), uuid.uuid4()
    manufacturer = _actor(Role.MANUFACTURER, manufacturer_id=own)
    assert allowed_targets(JOB_WORKFLOW, manufacturer, J.NEW, own) == [J.ACCEPTED, J.DECLINED]
    assert allowed_targets(JOB_WORKFLOW, manufacturer, J.NEW, other) == []
    # Assigning a waiting job is ops' and admins' move, not the manufacturer's.
    assert allowed_targets(JOB_WORKFLOW, manufacturer, J.PENDING_ASSIGNMENT, None) == []
    assert allowed_targets(JOB_WORKFLOW, _actor(Role.OPS), J.PENDING_ASSIGNMENT, None) == [J.NEW]
    # Sales and finance read jobs but move none.
    for role in (Role.SALES, Role.FINANCE, Role.READONLY, Role.PARTNER):
        assert allowed_targets(JOB_WORKFLOW, _actor(role), J.QC, own) == []
    assert allowed_targets(JOB_WORKFLOW, _actor(Role.ADMIN), J.SHIPPED, own) == []


def test_allowed_order_transitions_per_role():
    customer_id = uuid.uuid4()
    customer = _actor(Role.CUSTOMER, customer_id=customer_id)
    # A customer may cancel its own draft or submitted order, not approve or submit.
    assert allowed_targets(ORDER_WORKFLOW, customer, S.DRAFT, customer_id) == [S.CANCELED]
    assert allowed_targets(ORDER_WORKFLOW, customer, S.SUBMITTED, customer_id) == [S.CANCELED]
    assert allowed_targets(ORDER_WORKFLOW, customer, S.APPROVED, customer_id) == []
    assert allowed_targets(ORDER_WORKFLOW, customer, S.DRAFT, uuid.uuid4()) == []
    assert allowed_targets(ORDER_WORKFLOW, _actor(Role.OPS), S.SUBMITTED, customer_id) == [
        S.APPROVED,
        S.CANCELED,
    ]
    assert allowed_targets(ORDER_WORKFLOW, _actor(Role.SALES), S.SUBMITTED, customer_id) == []


def test_the_system_may_make_any_declared_move():
    system = system_actor(_actor(Role.MANUFACTURER, manufacturer_id=uuid.uuid4()))
    assert system.role is None and system.type is ActorType.SYSTEM
    assert allowed_targets(ORDER_WORKFLOW, system, S.APPROVED, None) == [
        S.IN_PRODUCTION,
        S.CANCELED,
    ]
