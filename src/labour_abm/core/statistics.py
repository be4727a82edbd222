"""The monthly statistics: every column of ``monthly.parquet``, declared once with unit and meaning.

:data:`CORE_COLUMNS` declares the core's columns in table order, grouped as docs/outputs.md
shows them (that section is generated from here, and a test keeps it so); each measure declares
its own in ``monthly_columns``. :func:`monthly_statistics` computes the core's values and the
records refuse a month whose values do not match the declarations (a column produced but not
documented, or documented but not produced).

Flows count what happened during the month; stocks and shares describe the caseload at the
end of the month, after all processes and before the clocks advance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .population import BARRIERS, EXIT_REASONS, OFF_BENEFIT, ON_BENEFIT, barrier_flags
from .rules.benefit import YOUTH_NORM_BELOW_AGE
from .rules.ladder import TRANSITIONS

if TYPE_CHECKING:
    from .model import LabourModel
    from .month import Month


@dataclass(frozen=True)
class MonthlyColumn:
    """One column of the monthly table: its name, unit and meaning (and, for the core's, the
    group it is listed under in docs/outputs.md)."""

    name: str
    unit: str
    meaning: str
    group: str = ""


def _group(group: str, *columns: tuple[str, str, str]) -> list[MonthlyColumn]:
    return [MonthlyColumn(name, unit, meaning, group) for name, unit, meaning in columns]


_EXIT_MEANINGS = {
    "work": "Exits to full-time work. These come from hiring in matching, from a part-time job that grew into "
            "full-time work, and with measures from a business started (`self_employment`) or a hire after a "
            "placement (`targeted_groups`).",
    "partner": "Left with a partner who has income.",
    "moved": "Moved out of the municipality.",
    "pension": "Reached `pension_age_years`.",
    "other_benefit": "Moved to another benefit (people in poor physical health).",
    "other": "Other exits (detention, unknown): the general other-exit hazard. They leave without an income.",
    "obligations": "Benefit ended for not meeting obligations: sanctioned people who drop out "
                   "(`sanction_dropout_share`), and information not given in time (`information_end_per_month`). "
                   "They leave without an income.",
    "unjustified": "Unjustified benefits found by enforcement and ended (`fraud_found`). They keep the undeclared "
                   "income or partner until it ends (`partner_income_ends_per_month`).",
    "other_income": "Left for another income they do not come back from in the model: bridging claimants whose "
                    "awaited income starts (`inflow_share_bridging`), and youth who go (back) to education on "
                    "student finance.",
}
_BARRIER_MEANINGS = {
    "no_start_qualification": "No start qualification (MBO-2).",
    "insufficient_dutch": "Dutch score < 0.5.",
    "low_literacy": "Literacy score < 0.5.",
    "poor_physical_health": "Physical health score < 0.5.",
    "poor_mental_health": "Mental health score < 0.5.",
    "problematic_debt": "Problematic debt, including debts in an arrangement.",
    "low_motivation": "Motivation score < 0.5.",
    "low_confidence": "Self-confidence score < 0.5.",
}
_LADDER_MEANINGS = (
    "Participation ladder step 1, isolated: on benefit with both mental health and confidence below 0.5, and not "
    "on a higher step.",
    "Step 2, social contacts: on benefit and on none of the other steps.",
    "Step 3, organised activities: on benefit, with a consultant contact or a month in a measure's service (a "
    "course, care, a placement, ...) in this month or the two before, no part-time job and not volunteering. Low "
    "in the first months, because the initial stock starts with no recorded contact.",
    "Step 4, unpaid work: on benefit, volunteering, and no part-time job. Only the `social_participation` measure "
    "makes people volunteer, so this is 0 in the baseline.",
    "Step 5, paid work with support: on benefit with a part-time job. Equals `recipients_with_earnings`.",
    "Step 6, paid work: people *off* benefit in a full-time job (or self-employed) who are still followed by the "
    "model (up to `followup_months` after leaving), including claimants diverted to work at the gate. This "
    "includes recent leavers created in work before month 0, so the column is well above 0 from month 0. They are "
    "not part of `stock`.",
)
SHARE = "share 0-1"

CORE_COLUMNS: tuple[MonthlyColumn, ...] = tuple([
    *_group(
        "Stock and flows",
        ("month", "month index", "Simulated month, from 0."),
        ("stock", "households", "Benefits at the end of the month: households on benefit (a single person, a "
         "single parent or a couple), as CBS counts benefits. Called recipients elsewhere."),
        ("persons_on_benefit", "people", "Adults in the households on benefit: a couple counts two, as CBS counts "
         "persons with bijstand."),
        ("children_on_benefit", "children", "Children under 18 in the households on benefit."),
        ("inflow", "people/month", "Entries onto benefit: admitted new claims plus re-entries. Equals the number "
         "of `entry` events."),
        ("new_claims", "claims/month", "New claims made (a Poisson draw), before any measure diverts some at the "
         "gate."),
        ("claims_diverted", "claims/month", "New claims that measures kept off benefit: those deterred "
         "(`admit_claims`, never filed) plus those diverted to work (`divert_to_work`). 0 in the baseline. Equals "
         "the number of `claim_diverted` events. Deterred claims appear nowhere else. The diverted to work have no "
         "spell unless they later come onto benefit (see `claims_diverted_to_work`)."),
        ("claims_diverted_to_work", "claims/month", "Of `claims_diverted`, those placed in work at the gate "
         "(`gate_mediation`, `ww_prevention`, `youth_transition`). They are never on benefit and are not in "
         "`inflow` or `exits`. They are followed as people in work: they get a `job_start` event, count in "
         "`ladder_6`, and may come onto benefit as re-entries if the job ends (`docs/ODD.md` section 7.1). 0 in "
         "the baseline."),
        ("reentries", "people/month", "Earlier leavers who came back: after losing a job, or when they had no "
         "income (after an exit for `other` reasons or `obligations`, or once the partner's or undeclared income "
         "they left with ended) and claimed again. Includes the recent leavers created before month 0 "
         "(`docs/ODD.md` section 5.4), and claimants diverted to work at the gate whose job ended."),
        ("exits", "people/month", "All exits from benefit. Equals the number of `exit` events."),
        ("exits_work", "people/month", "Exits to full-time work (same as `exits_reason_work`). The number of "
         "`job_start` events equals `exits_work + claims_diverted_to_work + jobs_found_without_benefit`."),
        ("exits_other", "people/month", "`exits - exits_work`."),
        *((f"exits_reason_{r}", "people/month", _EXIT_MEANINGS[r]) for r in EXIT_REASONS),
    ),
    *_group(
        "Jobs",
        ("job_ends", "jobs/month", "Full-time jobs held off benefit (after an exit to work, or found by a leaver "
         "without income) that ended. A job never ends in the "
         "month it started. Equals the number of `job_end` events."),
        ("parttime_starts", "jobs/month", "Part-time jobs started by recipients on benefit."),
        ("parttime_ends", "jobs/month", "Part-time jobs that ended: the job ended, or the person left benefit "
         "(including the job growing into full-time work). Equals the number of `parttime_end` events."),
        ("recipients_with_earnings", "people", "Recipients on benefit with part-time earnings at the end of the "
         "month."),
        ("mean_parttime_earnings_eur", "EUR/month", "Mean net monthly part-time earnings among them (0 if there "
         "are none)."),
        ("partner_jobs_found", "jobs/month", "Jobs found by the partners of couples on benefit (part-time or "
         "full-time). A partner's earnings lower the couple's benefit; when the household's earnings reach its "
         "norm it leaves (`exits_reason_partner`, or `work` when the recipient's own earnings are the larger part)."),
    ),
    *_group(
        "Search and matching",
        ("vacancies", "vacancies/month", "New vacancies open to people out of work posted this month, summed over "
         "employers, including extra vacancies from a measure (`employer_account_management`)."),
        ("open_vacancies", "vacancies", "Vacancies still open at the end of the month (not filled, not withdrawn)."),
        ("other_job_seekers", "people", "Other job seekers out of work competing for the same vacancies at the end "
         "of the month: unemployed people not on bijstand (a pool, not agents; `docs/ODD.md`)."),
        ("ww_recipients", "people", "People on WW (unemployment insurance) in the city at the end of the month: a "
         "pool by months of entitlement left, not agents (`docs/ODD.md`); they are among the other job seekers."),
        ("ww_ended_without_work", "people/month", "WW recipients whose entitlement ran out this month without a "
         "job: some of them claim bijstand (the `ww` entry route). A mean, so not a whole number."),
        ("hires_other_job_seekers", "jobs/month", "Vacancies filled by other job seekers out of work this month. An "
         "arm's difference from the baseline in it, per extra hire of a recipient, is the displacement."),
        ("hires_job_changers_and_outside", "jobs/month", "Vacancies filled by people in work changing jobs or from "
         "outside the city or the labour force: those nobody out of work took."),
        ("applications", "applications/month", "Own applications sent by recipients. Consultant referrals are not "
         "counted."),
        ("offers", "offers/month", "Offers made by employers, including to referred candidates. Counted before the "
         "candidate decides and before each vacancy is given to one candidate, so offers ≥ hires."),
        ("leavers_without_income", "people", "Leavers off benefit without work or another income at the end of the "
         "month: they search for work and may claim again."),
        ("jobs_found_without_benefit", "jobs/month", "Full-time jobs found by leavers without income (they apply "
         "to the same vacancies as recipients). Not exits: they were off benefit already."),
    ),
    *_group(
        "Contacts, sanctions and fraud",
        ("contacts", "people/month", "Recipients seen by their consultant this month."),
        ("sanctions_imposed", "sanctions/month", "New sanctions. Equals the number of `sanction` events."),
        ("sanctioned_recipients", "people", "Recipients whose benefit was cut this month by a sanction imposed in "
         "an earlier month."),
        ("fraud_found", "people/month", "Unjustified benefits found by enforcement and ended (`enforcement`; "
         "`docs/ODD.md` section 7.8). Each is also an exit for `unjustified`. Not 0 in the baseline, which has its own "
         "enforcement (`fraud_detection_per_month`). Equals the number of `fraud_found` events."),
    ),
    *_group(
        "Debt help",
        ("debt_help_starts", "people/month", "Debt arrangements started, from baseline plus measure capacity. "
         "Equals the number of `debt_help_start` events."),
        ("debt_help_waiting", "people", "Recipients on benefit on the debt-help waiting list at the end of the "
         "month."),
        ("in_debt_arrangement", "people", "Recipients on benefit who are in a debt arrangement."),
    ),
    *_group(
        "Duration and participation ladder",
        ("mean_months_on_benefit", "months", "Mean duration of the current spell of those on benefit. For the "
         "initial stock this includes time before month 0."),
        ("share_on_benefit_5y_plus", SHARE, "Share of the stock whose current spell has lasted 60 months or more."),
        *((f"ladder_{k}", "people", meaning) for k, meaning in enumerate(_LADDER_MEANINGS, start=1)),
    ),
    *_group(
        "Participation-ladder transitions (people on the ladder, on benefit or off it in work, at the end of the "
        "month before and of this one; entries and exits other than to work are flows above, not moves)",
        *((f"ladder_{a}_to_{b}", "people/month", f"Moved from step {a} to step {b} this month"
           + (" (left benefit for work)" if b == 6 else " (came back on benefit from work)" if a == 6 else "") + ".")
          for a, b in TRANSITIONS),
    ),
    *_group(
        "Budget",
        ("benefit_spending_eur", "EUR/month", "Benefit paid: the norm minus earnings not disregarded, minus "
         "sanction cuts."),
        ("benefit_above_statutory_eur", "EUR/month", "Of `benefit_spending_eur`, the part paid only because the "
         "earnings disregard in force is more generous than the statutory one (25%, EUR 269, 6 months, from 27): "
         "the same people's benefit minus what the law's disregard would give them this month. A cost of "
         "`earnings_disregard`; 0 under the statutory rule, negative under a meaner one."),
        ("state_allocation_eur", "EUR/month", "State allocation (BUIG), in equal monthly parts: "
         "`state_allocation_share` × the benefit due to the initial stock at initialisation (norm minus part-time "
         "earnings, no disregard or sanctions; `docs/ODD.md` section 5.5). This is close to, but not the same as, "
         "`benefit_spending_eur` of month 0. Constant over the run."),
        ("safety_net_eur", "EUR/month", "Safety-net (*vangnet*) compensation of the month's deficit; 0 while the "
         "deficit is at most `safety_net_own_risk_share` (5%) of the allocation, or there is none. Above a 10% "
         "deficit it absorbs every change in spending (see the budget identity)."),
        ("staff_cost_eur", "EUR/month", "Consultants' cost (Σ `cost_eur_per_year` / 12). Not in the balance. It "
         "includes the consultants `personal_approach` adds (also in its measure cost), but not the extra hours "
         "of `job_service_budget`."),
        ("measure_cost_eur", "EUR/month", "Cost of the measures in force this month: the sum of their `cost_eur`. "
         "Can be negative (`job_service_budget` with a cut)."),
        ("budget_balance_eur", "EUR/month", "`state_allocation_eur + safety_net_eur - benefit_spending_eur - "
         "measure_cost_eur`. Negative is a deficit."),
    ),
    *_group(
        "Composition of the stock (shares of the people on benefit at the end of the month; 0 in a month with an "
        "empty stock)",
        *((f"share_{b}", SHARE, _BARRIER_MEANINGS[b]) for b in BARRIERS),
        ("share_age_under_27", SHARE, "Age under 27."),
        ("share_age_45_plus", SHARE, "Age 45 or over."),
        ("share_migrant", SHARE, "Migration background."),
        ("share_single", SHARE, "Single households (not counting single parents)."),
        ("share_couple", SHARE, "Couples."),
        ("share_cost_sharing_norm", SHARE, "Households whose norm is lowered by the cost-sharing norm: adults of 27+ "
         "in the home besides the benefit unit (art. 22a Pw), for a claimant of 21 or over."),
        ("share_youth_norm", SHARE, "Households on a youth norm: the claimant (or a partner) is under 21 (art. 20 "
         "Pw)."),
        ("share_care_exempt", SHARE, "Single parents of a child under 5 exempted from the duty to work on request "
         "(art. 9a Pw). Not in `share_exempt`."),
        ("share_exempt", SHARE, "Exempt from the duty to work (on health grounds). A job-search duty waived by a "
         "measure does not count."),
    ),
])
CORE_NAMES = tuple(c.name for c in CORE_COLUMNS)


def monthly_statistics(model: LabourModel, now: Month) -> dict[str, float]:
    """The core's monthly statistics, by column name (:data:`CORE_COLUMNS`). Counts over whole
    columns (masked with the stock) rather than on the stock's rows: cheaper than gathering."""
    pop, t = model.pop, now.tally
    is_on = pop.status == ON_BENEFIT
    n = np.count_nonzero(is_on)
    with_earnings = is_on & (pop.parttime_earnings_eur > 0)
    on_ladder = np.bincount(pop.ladder * is_on, minlength=7)  # the stock by step (0: not on benefit)

    def share(flag: np.ndarray) -> float:
        """Share of the stock with ``flag``; a count over n is exactly what .mean() gives."""
        return np.count_nonzero(flag & is_on) / n if n else 0.0

    def count(flag: np.ndarray) -> int:
        return int(np.count_nonzero(flag & is_on))

    exits_by = {f"exits_reason_{r}": t[f"exits_reason_{r}"] for r in EXIT_REASONS}
    exits_total = sum(exits_by.values())
    stats = {
        "month": model.month,
        "stock": n,
        "persons_on_benefit": int(np.sum((1 + (pop.household == 2)) * is_on)),
        "children_on_benefit": int(np.sum(pop.children * is_on)),
        "inflow": t["entries"],
        "new_claims": t["new_claims"],
        "claims_diverted": t["claims_diverted"],
        "claims_diverted_to_work": t["claims_diverted_to_work"],
        "reentries": t["reentries"],
        "exits": exits_total,
        "exits_work": t["exits_reason_work"],
        "exits_other": exits_total - t["exits_reason_work"],
        **exits_by,
        "job_ends": t["job_ends"],
        "parttime_starts": t["parttime_starts"],
        "parttime_ends": t["parttime_ends"],
        "recipients_with_earnings": int(np.count_nonzero(with_earnings)),
        "mean_parttime_earnings_eur": (  # the same values in the same order as the stock's: the same mean
            float(pop.parttime_earnings_eur[with_earnings].mean()) if with_earnings.any() else 0.0),
        "partner_jobs_found": t["partner_jobs_found"],
        "vacancies": t["vacancies"],
        "open_vacancies": len(model.labour_market),
        "other_job_seekers": round(model.labour_market.seekers, 1),
        "ww_recipients": round(model.ww_pool.recipients, 1),
        "ww_ended_without_work": round(model.ww_pool.exhausted, 2),
        "hires_other_job_seekers": t["hires_other_job_seekers"],
        "hires_job_changers_and_outside": t["hires_job_changers_and_outside"],
        "applications": t["applications"],
        "offers": t["offers"],
        "leavers_without_income": len(pop.without_income()),
        "jobs_found_without_benefit": t["jobs_found_without_benefit"],
        "contacts": t["contacts"],
        "sanctions_imposed": t["sanctions_imposed"],
        "sanctioned_recipients": t["sanctioned_recipients"],
        "fraud_found": t["fraud_found"],
        "debt_help_starts": t["debt_help_starts"],
        "debt_help_waiting": count(pop.debt_help_waiting_since >= 0),
        "in_debt_arrangement": count(pop.debt_arrangement_months_left > 0),
        # a sum of integers is exact in any order, so this is what .mean() of the stock's months gives
        "mean_months_on_benefit": int(np.sum(pop.months_on_benefit * is_on)) / n if n else 0.0,
        "share_on_benefit_5y_plus": share(pop.months_on_benefit >= 60),
        **{f"ladder_{k}": int(on_ladder[k]) for k in range(1, 6)},
        **{f"ladder_{a}_to_{b}": t[f"ladder_{a}_to_{b}"] for a, b in TRANSITIONS},
        "ladder_6": int(np.count_nonzero(pop.employed & (pop.status == OFF_BENEFIT))),
        "benefit_spending_eur": t["benefit_spending_eur"],
        "benefit_above_statutory_eur": float(t["benefit_above_statutory_eur"]),
        "state_allocation_eur": t["state_allocation_eur"],
        "safety_net_eur": t["safety_net_eur"],
        "staff_cost_eur": t["staff_cost_eur"],
        "measure_cost_eur": t["measure_cost_eur"],
        "budget_balance_eur": t["budget_balance_eur"],
    }
    flags = barrier_flags(pop, slice(None))
    stats.update({f"share_{b}": share(flags[b]) for b in BARRIERS})
    stats.update(
        {
            "share_age_under_27": share(pop.age_years < 27),
            "share_age_45_plus": share(pop.age_years >= 45),
            "share_migrant": share(pop.migrant),
            "share_single": share(pop.household == 0),
            "share_couple": share(pop.household == 2),
            "share_cost_sharing_norm": share((pop.cost_sharers > 0) & (pop.age_years >= YOUTH_NORM_BELOW_AGE)),
            "share_youth_norm": share((pop.age_years < YOUTH_NORM_BELOW_AGE)
                                      | ((pop.household == 2) & (pop.partner_age_years < YOUTH_NORM_BELOW_AGE))),
            "share_care_exempt": share(pop.care_exempt),
            "share_exempt": share(pop.exempt),
        }
    )
    return stats


def columns_markdown(columns: tuple[MonthlyColumn, ...] = CORE_COLUMNS) -> str:
    """The core's columns as Markdown tables, one per group (the generated part of docs/outputs.md)."""
    lines: list[str] = []
    group = None
    for c in columns:
        if c.group != group:
            group = c.group
            lines += ["", f"**{group}**", "", "| column | unit | meaning |", "|---|---|---|"]
        lines.append(f"| `{c.name}` | {c.unit} | {c.meaning} |")
    return "\n".join(lines[1:]) + "\n"
