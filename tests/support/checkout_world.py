"""A shop to check out in: a garment blank with priced sizes, a customer and its client,
the app's payments pointed at the local fake Stripe (tests/support/fake_stripe.py)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from auth.permissions import Role
from resolvers.ids import decode_id
from settings import PaymentsSettings, Settings
from tests.support import factories, order_factories
from tests.support.fake_stripe import API_KEY, FakeStripe
from tests.support.graphql import GraphQLClient, mutation_document
from tests.support.stripe_signing import WEBHOOK_SECRET, signed_request

ORIGIN = "https://shop.example"
DESIGN_URL = "https://cdn.example/designs/tiger.png"
SIZES = {"S": Decimal("12.50"), "M": Decimal("12.50"), "L": Decimal("14.00")}
GARMENT = "Heavyweight Tee"

ERRORS = "errors { code field message }"
CHECKOUT_FIELDS = f"""
  order {{ id reference status displayStatus priority prompt imageUrl etaDays garmentTitle
          total {{ amount currency }}
          lineItems {{ size quantity technique unitPrice {{ amount }} }}
          events {{ status message orderStatus }} }}
  checkoutSession {{ id attempt status stripeSessionId url amountTotal {{ amount }} }}
  checkoutUrl
  {ERRORS}
"""
CREATE = mutation_document("createProductionOrder", CHECKOUT_FIELDS)
RESUME = mutation_document("resumeCheckout", CHECKOUT_FIELDS)


def payments_settings(settings: Settings, fake: FakeStripe, **changes: Any) -> Settings:
    payments = PaymentsSettings(
        stripe_secret_key=API_KEY,
        stripe_webhook_secret=WEBHOOK_SECRET,
        public_origin=ORIGIN,
        stripe_api_base=fake.url,
        max_network_retries=0,
    )
    return replace(settings, payments=replace(payments, **changes))


@dataclass
class Shop:
    admin: GraphQLClient
    customer: GraphQLClient
    customer_id: str  # global
    garment_id: str  # global (a Product)
    fake: FakeStripe

    def other_customer(self, customer_pk: Any) -> GraphQLClient:
        return self.admin.as_role(Role.CUSTOMER, customer_id=customer_pk)

    def order_input(self, **changes: Any) -> dict[str, Any]:
        return {
            "designUrl": DESIGN_URL,
            "garmentId": self.garment_id,
            "sizes": [{"size": "S", "quantity": 2}, {"size": "L", "quantity": 3}],
            "priority": "RUSH",
            "notes": "Front print",
            **changes,
        }

    async def place(self, client: GraphQLClient | None = None, **changes: Any) -> Any:
        payload = await (client or self.customer).mutate(
            CREATE, {"input": self.order_input(**changes)}
        )
        assert payload["errors"] == [], payload["errors"]
        return payload


async def open_shop(admin: GraphQLClient, fake: FakeStripe) -> Shop:
    garment = await factories.product(admin, name=GARMENT)
    for size, price in SIZES.items():
        await factories.variant(admin, garment["id"], size=size, price=str(price))
    customer = await admin.mutate_ok(order_factories.CREATE_CUSTOMER, {"name": "Ada"}, "customer")
    _, customer_pk = decode_id(customer["id"])
    return Shop(
        admin=admin,
        customer=admin.as_role(Role.CUSTOMER, customer_id=customer_pk),
        customer_id=customer["id"],
        garment_id=garment["id"],
        fake=fake,
    )


ORDER_STATE = """
query($id: ID!) { node(id: $id) { ... on Order {
  status priority displayStatus
  events { status message orderStatus }
  payments { status amount { amount } holdReason stripeSessionId }
  checkoutSessions { attempt status }
} } }
"""
WEBHOOK = "/webhooks/stripe"


async def order_state(client: GraphQLClient, order_id: str) -> Any:
    return (await client(ORDER_STATE, {"id": order_id}))["node"]


async def deliver(client: GraphQLClient, event: dict[str, Any], **signing: Any) -> Any:
    """POST a signed event to the webhook as Stripe does; the httpx response."""
    body, headers = signed_request(event, **signing)
    return await client.http.post(WEBHOOK, content=body, headers=headers)


def paid_event(shop: Shop, payload: Any, **changes: Any) -> dict[str, Any]:
    """`checkout.session.completed`, paid, for a placed order's session."""
    session = shop.fake.pay(payload["checkoutSession"]["stripeSessionId"])
    return shop.fake.event("checkout.session.completed", {**session, **changes})
