"""Manufacturing jobs, their notes, photos, issues, and notifications (placeholder until the domain lands)."""

import strawberry


@strawberry.type
class JobQuery:
    pass


@strawberry.type
class JobMutation:
    pass
