"""Money in yuan as Decimal, to the fen; a split never loses or creates a fen."""

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")


def to_fen(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def split(amount: Decimal, city_parts: int, local_parts: int) -> tuple[Decimal, Decimal]:
    """The city's share is its ratio of the amount rounded half-up to the fen; the rest is local."""
    amount = to_fen(amount)
    total_parts = city_parts + local_parts
    if total_parts <= 0 or city_parts < 0 or local_parts < 0:
        raise ValueError(
            f"a split needs non-negative parts that add up to more than zero, not {city_parts}:{local_parts}"
        )
    city = to_fen(amount * city_parts / total_parts)
    return city, amount - city
