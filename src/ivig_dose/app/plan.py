"""The use case every command shares: a patient's inputs in, a dispensed plan out.

``plan``, ``order``, ``labels``, ``calendar``, ``batch``, ``verify`` and the Python API all
plan through :func:`plan_patient` (or :func:`plan_request` once a request is parsed), and the
options that hold for a whole run are resolved once by :func:`setup`. This is the only place
where a protocol's option defaults are applied: its rounding (``[options.rounding]``), its
catalogue product and its indication (``[product] indication``), whenever ``--round``,
``--product`` or ``--indication`` is not given. A patient at risk (``--risk``, a list's ``risk``
column) has the pump held to the label's at-risk limit that the setup resolved, here too
(:func:`dispensing_of`). The defaults that depend
on the dose itself (the day count of R3, the dosing-weight basis) are the core's reading of the
protocol and apply to every request alike. So the same inputs give the same numbers on every
path.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from ivig_dose.core.defaults import DEFAULT_PROTOCOL
from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.core.records import frozen

if TYPE_CHECKING:
    from ivig_dose.core.model import AtRiskCap, Plan, PlanRequest
    from ivig_dose.core.products import CatalogueProduct
    from ivig_dose.core.protocol import Protocol
    from ivig_dose.core.pump import RateLimit
    from ivig_dose.core.rounding import Rounding
    from ivig_dose.parse.plan_inputs import PlanInputs


@frozen
class Dispensing:
    """The catalogue product behind vials and pump programs, and the pump's limit, as parsed once."""

    product: CatalogueProduct
    limit: RateLimit
    #: --max-rate as typed, for the plan to quote.
    max_rate: str | None
    #: True when --product chose the product, False when it is the protocol's default.
    chosen: bool
    #: the pump's limit and why, for a patient at risk (``--risk``); None where the label gives no
    #: number and no --max-rate was given, so such a patient is refused (:func:`dispensing_of`).
    at_risk: tuple[RateLimit, str] | None = None


@frozen
class Setup:
    """What a run decides once for all its patients, each option as given or else the protocol's."""

    protocol: Protocol
    #: None when neither ``--product`` nor the protocol names a catalogue product.
    dispensing: Dispensing | None
    #: ``--round`` as given, else the protocol's default rounding; None keeps the exact doses.
    rounding: Rounding | None

    @property
    def product(self) -> CatalogueProduct | None:
        return self.dispensing.product if self.dispensing else None


def setup(protocol: str = DEFAULT_PROTOCOL, products: str | None = None, product: str | None = None,
          round_to: str | None = None, max_rate: str | None = None, indication: str | None = None) -> Setup:
    """The protocol, product (with its indication's rate table), pump limit and rounding of a run,
    from the options as typed."""
    from ivig_dose.files.protocols import load_protocol
    from ivig_dose.parse.dispensing_options import parse_rounding

    for option, value in (("--protocol", protocol), ("--products", products), ("--product", product),
                          ("--round", round_to), ("--max-rate", max_rate)):
        if value is not None and not value.strip():
            raise InputError(message(N_("{option} is empty; give a value, or leave the option out for the default"),
                                     option=option))
    rules = load_protocol(protocol)
    dispensing = dispensing_for(products, product, max_rate, rules, indication)
    chosen_product = dispensing.product if dispensing else None
    rounding = parse_rounding(round_to if round_to is not None else rules.rounding, chosen_product)
    return Setup(rules, dispensing, rounding)


def choose_product(
    products_file: str | None, product_id: str | None, protocol: Protocol | None
) -> CatalogueProduct | None:
    """``--product`` from the catalogue, else the protocol's default; None if neither names one.

    A product of another concentration than the protocol's would change every volume (R5), so it
    is refused rather than silently re-dosed.
    """
    from ivig_dose.files.catalogue import load_catalogue

    wanted = product_id or (protocol.product.catalogue_id if protocol else None)
    if wanted is None:
        if products_file is not None:
            raise InputError(message(N_("--products needs --product ID: the protocol names no catalogue product")))
        return None
    product = load_catalogue(products_file).get(wanted)
    if protocol is not None and product.concentration_mg_per_ml != protocol.product.concentration_mg_per_ml:
        concentration = protocol.product.concentration_mg_per_ml
        raise InputError(message(
            N_("--product {product!r} is {concentration} mg/mL but protocol {protocol!r} doses {protocol_product} "
               "{protocol_concentration} mg/mL (R5); accepted: a product of {protocol_concentration} mg/mL"),
            product=product.id, concentration=product.concentration_mg_per_ml, protocol=protocol.id,
            protocol_product=protocol.product.name, protocol_concentration=concentration))
    return product


def dispensing_for(products_file: str | None, product_id: str | None, max_rate: str | None,
                   protocol: Protocol, indication: str | None = None) -> Dispensing | None:
    """``--products``, ``--product``, ``--indication`` and ``--max-rate`` parsed; None when no product
    applies. The protocol's indication applies with the protocol's own product only: another
    product's tables need not know it."""
    from ivig_dose.parse.dispensing_options import parse_max_rate

    product = choose_product(products_file, product_id, protocol)
    if product is None:
        if indication is not None:
            raise InputError(message(N_("--indication needs a product with rate tables: give --product ID")))
        parse_max_rate(max_rate, product)
        return None
    if indication is None and product.id == protocol.product.catalogue_id:
        indication = protocol.product.indication
    product = product.for_indication(indication)
    limit = parse_max_rate(max_rate, product)
    return Dispensing(product, limit, max_rate, product_id is not None, at_risk_limit(product, limit, max_rate))


def at_risk_limit(product: CatalogueProduct, limit: RateLimit, max_rate: str | None) -> tuple[RateLimit, str] | None:
    """The pump limit of a patient at risk, and why: the label's number (with ``--max-rate`` if lower),
    or ``--max-rate`` alone where the label gives none; None where neither is known."""
    from ivig_dose.core.pump import RateLimit

    label = product.at_risk
    if label is not None and label.max_ml_per_kg_h is not None:
        return limit.tighter(RateLimit(ml_per_kg_h=label.max_ml_per_kg_h)), label.source
    if max_rate is None:
        return None
    said = label.source if label is not None else message(N_("catalogue entry {id!r} gives no at-risk limit"),
                                                          id=product.id)
    return limit, message(N_("--max-rate {max_rate}, as the label gives no number: {said}"), max_rate=max_rate,
                          said=said)


def dispensing_of(dispensing: Dispensing | None,
                  risks: tuple[str, ...]) -> tuple[Dispensing | None, AtRiskCap | None]:
    """A run's dispensing for a patient with ``risks``: held to the at-risk limit when there are any.

    Where the label gives no number (Privigen, Gamunex-C, Nanogam) and no ``--max-rate`` was
    given, a patient at risk is refused: the label asks for the minimum rate practicable, which
    only the prescriber can name.
    """
    from ivig_dose.core.model import AtRiskCap
    from ivig_dose.core.products import AT_RISK_WORDS

    if not risks:
        return dispensing, None
    which = " and ".join(risks)
    if dispensing is None:
        raise InputError(message(N_("--risk {which} needs a product with a rate table to cap the pump: give "
                                    "--product ID"), which=which))
    if dispensing.at_risk is None:
        product = dispensing.product
        raise InputError(message(
            N_("--risk {which}: the label of {product} ({id}) gives no at-risk rate; it says to '{words}'; accepted: "
               "--max-rate with the rate you prescribe for this patient (e.g. 2.4 mL/kg/h or 100 mL/h)"),
            which=which, product=product.name, id=product.id, words=AT_RISK_WORDS))
    limit, source = dispensing.at_risk
    return replace(dispensing, limit=limit), AtRiskCap(risks, limit.describe(), source)


def plan_patient(inputs: PlanInputs, run: Setup, today: date | None = None) -> Plan:
    """One patient's plan from their inputs as typed; a start not given counts from ``today``
    (:func:`~ivig_dose.app.clock.today` when not given), which the plan's warnings say, as they say
    a start before it and a hospital day on a weekend or a holiday (:mod:`ivig_dose.core.calendar_days`)."""
    from ivig_dose.app.clock import today as clock_today
    from ivig_dose.core.calendar_days import dated_plan
    from ivig_dose.parse.plan_inputs import parse_request

    day = today or clock_today()
    request, defaulted = parse_request(inputs, run.rounding, day)
    plan = plan_request(request, run)
    if defaulted:
        plan = defaulted_start(plan)
    # the dates' warnings stay out of plan_request, which batch also runs at a placeholder start to
    # make the plans its patients share: app.shared_plans adds them for each patient
    return dated_plan(plan, day, run.protocol.holidays)


def defaulted_start(plan: Plan) -> Plan:
    """The plan with the warning that its start was not given, so courses count from today."""
    note = message(N_("no --start given: courses count from today, {today}"), today=plan.request.start)
    return replace(plan, warnings=(note, *plan.warnings))


def plan_request(request: PlanRequest, run: Setup) -> Plan:
    """The one step from a parsed request to a plan: the core, then vials and pump programs.

    The request carries its rounding already (see :func:`setup`).
    """
    from ivig_dose.core.dosing import build_plan

    dispensing, at_risk = dispensing_of(run.dispensing, request.risks)
    try:
        plan = build_plan(request, run.protocol)
    except OverflowError as exc:  # a safety net: dates and protocols are bounded before this
        raise InputError(message(N_("the plan from start {start} runs past the end of the calendar; accepted: a "
                                    "start date from 1900 to 2999"), start=request.start)) from exc
    if dispensing is not None:
        from ivig_dose.core.dispensing import dispense_plan

        plan = dispense_plan(plan, dispensing.product, dispensing.limit, dispensing.max_rate,
                             chosen=dispensing.chosen, at_risk=at_risk)
    return plan
