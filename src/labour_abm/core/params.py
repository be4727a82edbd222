"""Model parameters: typed, validated, each default with its source.

Every parameter carries a unit in its name (``_per_month``, ``_eur``, ``_share``, ``_years``),
bounds, a one-line description and its source: a row of ``shared/CALIBRATION.md`` ("CAL"),
a seed article by file name, a paper, or "assumption". ``docs/parameters.md`` is generated
from this module (``labour-abm params --markdown``) and a test keeps the two in step.

Unknown keys are rejected with the list of valid ones (see :func:`resolve_parameters`).
"""

from __future__ import annotations

import difflib
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..errors import UserError, short, shorter
from .rules.benefit import STATUTORY_DISREGARD

WEEKS_PER_MONTH = 52 / 12  # turns weekly hours into monthly ones
CAL = "shared/CALIBRATION.md"
# the baseline calibration that set the free behavioural parameters (docs/calibration.md reproduces it)
FIT = "calibrated: labour-abm calibrate --preset nijmegen --trials 200 --replications 3 --months 120"


def par(default: Any, lo: float | None, hi: float | None, doc: str, source: str, unit: str = ""):
    """A parameter field: default, inclusive bounds, description, unit and source."""
    return Field(
        default,
        ge=lo,
        le=hi,
        description=doc,
        json_schema_extra={"source": source, "unit": unit},
    )


class Parameters(BaseModel):
    """All parameters of one simulation run (a municipality, a labour market, behaviour)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)

    # ---- run -------------------------------------------------------------------------------
    months: int = par(120, 1, 600, "Months to simulate.", "assumption (10 years)", "months")
    labour_market: Literal["stable", "upswing", "covid"] = Field(
        "stable",
        description="Labour-market scenario: paths of new vacancies and job losses over time (stable; covid: July 2019 to 2023; upswing: 2021 to 2023).",
        json_schema_extra={
            "source": "data/labour_market.toml (CBS 84545NED new vacancies, UWV new WW benefits, 2019-2023)",
            "unit": "",
        },
    )
    sector_mix: Literal["national", "nijmegen", "groningen"] = Field(
        "national",
        description="The city's mix of sectors: employers by sector, and the sectors of recipients' past jobs, "
        "are the national table times the city's location quotients (its share of jobs in a sector over the "
        "national share).",
        json_schema_extra={"source": "data/labour_market.toml, [sector_mix] (each city's job counts by sector, with "
                                     "sources)", "unit": ""},
    )

    # ---- the caseload at the start (composition of the stock) ------------------------------
    initial_stock: int = par(
        8000, 10, 2_000_000, "Recipients on benefit at month 0.", "seed 000 (Nijmegen ~8,000)",
        "people",
    )
    stock_share_age_under_27: float = par(0.09, 0, 1, "Share of the stock aged under 27.", f"{CAL} (composition: remainder)")
    stock_share_age_27_45: float = par(0.34, 0, 1, "Share of the stock aged 27-45 (rest is 45+).", f"{CAL} (composition, CBS 2023)")
    stock_share_migrant: float = par(0.50, 0, 1, "Share of the stock with a migration background.", f"{CAL}; seed 001 point 6 ('half')")
    stock_share_statushouder: float = par(0.12, 0, 1, "Share of the stock who are refugees with a residence permit.", "assumption (CBS: roughly 50-60k of ~415k recipients, 2019)")
    stock_share_no_start_qualification: float = par(0.65, 0, 1, "Share without a start qualification (MBO-2).", f"{CAL} (>= 65%)")
    stock_share_insufficient_dutch: float = par(0.18, 0, 1, "Share whose Dutch is insufficient for work.", f"{CAL} (9% known + part of 18% unknown)")
    stock_share_low_literacy: float = par(0.30, 0, 1, "Share with low literacy.", "assumption (Stichting Lezen & Schrijven: about a third of recipients)")
    stock_share_poor_mental_health: float = par(0.31, 0, 1, "Share with poor mental health (in mental-health care).", f"{CAL} (CBS/SZW 2017)")
    stock_share_poor_physical_health: float = par(0.30, 0, 1, "Share with poor physical health.", "assumption (seed 004 names health as a main barrier)")
    stock_share_problematic_debt: float = par(0.29, 0, 1, "Share with problematic debts.", f"{CAL} (25-33%, soft)")
    stock_share_low_motivation: float = par(0.30, 0, 1, "Share with low motivation to find work.", "assumption (seed 001 point 3; seed 004 'focus on those who want')")
    stock_share_low_confidence: float = par(0.30, 0, 1, "Share with low self-confidence.", "assumption (seed 004 names it)")
    stock_share_single: float = par(0.70, 0, 1, "Share of single households.", f"{CAL} (Nijmegen monitor)")
    stock_share_single_parent: float = par(0.15, 0, 1, "Share of single parents (rest are couples).", "assumption (CBS 82015NED, national, Jan 2017: 65% single, 21% single parent, 15% couple)")
    # ---- households (the benefit unit; drawn for the stock and the inflow alike) ---------
    single_parent_share_youngest_under_5: float = par(0.34, 0, 1, "Share of single parents on benefit whose youngest child is under 5 (eligible for the art. 9a exemption), as drawn where the parent's age does not bound the child's (a child born when the parent was 18-45): the model's single parents have the stock's age mix, so in the whole stock fewer (about 0.23 in Nijmegen).", "CBS 2006 (bijstand single mothers: a third with a child under 5); plausible 0.25-0.45")
    couple_share_with_children: float = par(0.50, 0, 1, "Share of couples on benefit with children living at home.", "derived: CBS Jeugdmonitor 2023 counts about 186k minor children in bijstand households (end 2022); with ~75k single parents (CBS 82015NED) and 1.7-1.9 children each that leaves 0.4-0.6 of ~58k couples")
    children_mean: float = par(1.8, 1, 6, "Mean number of children of a household with children.", "assumption (about 1.8 children per Dutch family with children; plausible 1.6-2.1)", "children")
    young_share_living_with_parents: float = par(0.40, 0, 1, "Share of claimants under 27 without a partner or children who live with their parents (cost-sharers when 27+).", "assumption (plausible 0.3-0.45; no split by age found: about 12% of recipients fell under the cost-sharing norm in 2022 when it counted adults from 21, NH Nieuws quoting CBS)")
    share_sharing_home: float = par(0.06, 0, 1, "Share of other claimants who share their home with another adult of 27+ (an adult child, a relative, a housemate): the cost-sharing norm applies.", "assumption (plausible 0.03-0.10: 3-10% of benefit households under the norm since it counts from 27, a 2026 study for SZW reported by gemeente.nu)")
    partner_share_with_earnings: float = par(0.10, 0, 1, "Share of couples on benefit whose partner has part-time earnings at the start of a spell.", "assumption (plausible 0.05-0.2; about 8% of recipients have earnings, CAL)")
    partner_job_finding_per_month: float = par(0.01, 0, 0.2, "Monthly chance that the partner of a couple on benefit (who has the duty to work too, art. 9(3) Pw) finds a job, times the labour market's vacancy multiplier; a share vacancy_share_parttime of those jobs is part-time.", "assumption (the order of the stock's job finding: about 1% a month to work, CAL; plausible 0.005-0.02)")
    single_parent_exemption_uptake_share: float = par(0.25, 0, 1, "Share of single parents with a child under 5 who ask for, and get, the exemption from the duty to work (art. 9a Pw).", "assumption (plausible 0.15-0.4; no uptake figure found)")
    stock_share_exempt: float = par(0.10, 0, 1, "Share of the stock at month 0 exempt from the duty to work (on health grounds); new claimants start with the duty.", f"{CAL} (Divosa)")
    stock_share_with_earnings: float = par(0.08, 0, 1, "Share of the stock with part-time earnings at month 0.", f"{CAL} (Divosa factsheet part-time work: ~8%)")
    stock_share_debtors_in_arrangement: float = par(0.2, 0, 1, "Share of debtors already in a debt arrangement at month 0.", "assumption")
    barrier_correlation: float = par(0.35, 0, 0.95, "Loading of barriers on one latent disadvantage factor (barriers cluster).", "assumption (seed 004: 'one or more problems')")
    initial_duration_mean_months: float = par(70.0, 1, 400, "Mean months on benefit of the initial stock for an average person.", "calibrated: long-term share of the stock near its model steady state (~38% on benefit 5+ years; CBS reports roughly 40%, soft)", "months")
    initial_duration_disadvantage_gradient: float = par(0.6, 0, 3, "How much longer disadvantaged people have been on benefit (log-scale per SD of the latent factor).", "assumption (seed 004: many have been on benefit for years)")

    # ---- inflow ---------------------------------------------------------------------------
    inflow_new_claims_per_month_share: float = par(0.0161, 0, 0.2, "New claims per month as a share of the initial stock (re-entries come on top, from the model).", f"{FIT}, to a stable stock and the inflow of {CAL} (79k-108k/yr on ~400k stock)", "share/month")
    inflow_share_from_ww: float = par(0.18, 0, 1, "Share of new claims coming from unemployment insurance (WW) in a stable market; over the cycle their number follows the WW recipients whose WW ends without work (core/labour_market.py, WwPool).", f"{CAL} (SEO 2019: 15-20%)")
    inflow_share_from_job: float = par(0.25, 0, 1, "Share of new claims straight from a job, without WW (flex workers without WW rights, jobs too short for it): their number follows the scenario's job losses.", f"{CAL} (SEO 2019: 19-31% of the inflow comes from a job, besides the 15-20% from WW)")
    inflow_share_from_school: float = par(0.10, 0, 1, "Share of new claims by young people leaving school.", "assumption (seed 000/003: vulnerable youth)")
    inflow_share_bridging: float = par(0.0454, 0, 1, "Share of new claims by people who bridge the wait for another income (a WW decision, student finance, maintenance): their benefit ends when it starts.", f"{FIT}, to the exits in the first 6 months of a spell (CBS 85617NED); an assumption before (plausible 0.03-0.15)")
    bridging_months_mean: float = par(2.0, 1, 12, "Mean months until the income a bridging claimant waits for starts (at least 1).", "assumption (plausible 1-4: a decision on a claim is due within 8 weeks unless the law sets a term, Awb art. 4:13)", "months")
    inflow_share_statushouder: float = par(0.08, 0, 1, "Share of new claims by refugees with a residence permit.", "assumption")
    inflow_share_age_under_27: float = par(0.16, 0, 1, "Share of new claims aged under 27.", "assumption (inflow is younger than the stock)")
    inflow_share_age_27_45: float = par(0.42, 0, 1, "Share of new claims aged 27-45.", "assumption")
    inflow_barrier_relative_prevalence: float = par(0.92, 0, 2, "Prevalence of each barrier among new claimants relative to the stock.", "assumption (hard cases accumulate in the stock: seed 004; SEO 2019), calibrated to a stable composition")

    # ---- job search and obligations --------------------------------------------------------
    applications_required_per_month: float = par(4.0, 0, 20, "Job applications required per month from those with the duty to work.", f"{CAL} (4 per 4 weeks, Groningen 2017)", "applications/month")
    max_applications_per_month: float = par(4.0, 0, 20, "Expected applications per month of a fully motivated, confident searcher.", "assumption (equal to the duty)", "applications/month")
    noncompliance_threshold_share: float = par(0.5, 0, 1, "A month counts as non-compliant when applications fall below this share of the duty.", "assumption")
    exempt_search_share: float = par(0.15, 0, 1, "Search effort of people exempt from the duty (on health or care grounds), relative to others.", "assumption")
    waived_duty_search_share: float = par(0.85, 0, 1, "Search effort of people able to work whose duty to apply a policy waives (e.g. the exemption arm of the Participatiewet experiments), relative to others: what is left without the duty's push.", "calibrated on the exemption arms of the Participatiewet trials (docs/trials.md: no effect on outflow during the experiments; Groningen, Wageningen; Utrecht kept out of sample); a search duty does raise entry into work of older UI recipients (Lammers et al. 2013), so below 1; plausible 0.6-1.0")
    parttime_worker_search_share: float = par(0.5, 0, 1, "Search effort for a full-time job of someone with a part-time job.", "assumption")
    debt_stress_search_penalty: float = par(0.25, 0, 1, "Reduction of search effort under problematic debt (stress, scarcity).", "Mani et al. 2013 (Science) on scarcity; assumption on size")
    own_sector_application_share: float = par(0.5, 0, 1, "Share of applications sent to one's own sector of experience.", "assumption")

    # ---- the local labour market: employers, vacancies, other job seekers ---------------------
    jobs_in_city: int = par(103_700, 1, 20_000_000, "Jobs located in the municipality: the local market whose vacancies recipients and other job seekers compete for.", "Nijmegen 2019: Stads- en Wijkmonitor Nijmegen 2020 (plausible 95,000-110,000)", "jobs")
    employers_per_1000_jobs: float = par(2.9, 0.1, 100, "Employers (the model's posting units) per 1,000 jobs in the city.", "assumption: keeps the 300 employers of the toy caseload for Nijmegen (DESIGN.md); a unit stands for a group of establishments (plausible 1-10)", "employers")
    new_vacancies_per_job_per_month: float = par(0.0097, 0, 0.1, "New vacancies a month per job in the city (self-employed included, as cities count jobs), before the labour-market scenario; each goes to a recipient, another job seeker out of work, a job changer or someone from outside.", "CBS 84545NED: 313k new vacancies a quarter in 2019 over the 10.7 million jobs of CBS 2019 (1.23% per employee job) (plausible 0.008-0.012; higher in 2022)", "vacancies/job/month")
    vacancy_share_to_unemployed: float = par(0.5, 0.05, 0.95, "Share of filled vacancies that go to people out of work in the reference market (Netherlands 2019); the rest go to job changers and people from outside the city or the labour force.", "assumption from CBS: about 360k employees a quarter change employer (2022), about as many as the vacancies filled; job changers fill about half (plausible 0.4-0.6)")
    vacancy_lapse_per_month: float = par(0.02, 0, 0.5, "Monthly chance that an open vacancy is withdrawn unfilled.", "CBS 84545NED: withdrawn vacancies are normally under 20k of about 300k a quarter that end (33k in 2020Q2) (plausible 0.01-0.05)")
    labour_market_tension: float = par(0.9, 0.05, 10, "Open vacancies per unemployed person in the city's labour market at the start (CBS's vacancies per 100 unemployed, divided by 100). Higher: fewer other job seekers per vacancy, so recipients win more of the vacancies they are found acceptable for.", "the national figure, CBS 2019: 88-93 vacancies per 100 unemployed (80590NED, 84545NED; old method); Gelderland was close to it (plausible 0.5-1.5 by region)", "vacancies/person")
    other_job_seekers_exit_per_month: float = par(0.06, 0, 0.5, "Monthly chance that a job seeker out of work in the pool stops searching in the city without a job from its vacancies: leaves the labour force, or finds work elsewhere (in the region, through a temp agency or contacts).", "assumption: CBS finds about 15% of the unemployed in work a month later (2022-23), more than the city's vacancies give them; many commute (plausible 0.03-0.10)")
    acceptable_candidates_per_vacancy: float = par(2.0, 0.1, 20, "Candidates besides recipients whom an employer would accept, per vacancy that ends its recruitment, in the reference market (Netherlands 2019); with the months a vacancy stays open it sets how many vacancies end their recruitment a month.", "assumption: job seekers send about 18 applications per interview and 54 per offer (Werf-en 2018); about 8 to 25 applicants per vacancy (plausible 1-4 acceptable ones)", "candidates")
    matching_elasticity: float = par(0.5, 0, 0.9, "Elasticity of hires with respect to vacancies in the matching of other job seekers: other candidates per vacancy follow (job seekers per vacancy) to the power 1 minus this.", "Petrongolo & Pissarides 2001 (JEL), survey of matching-function estimates: 0.3-0.5 on vacancies; 0.5 is the common choice (plausible 0.3-0.7)")
    vacancy_share_parttime: float = par(0.55, 0, 1, "Share of vacancies that are part-time (too few hours to leave benefit).", "assumption, calibrated to ~8% of recipients with earnings (CAL)")
    hire_probability_per_application: float = par(0.143, 0, 1, "Chance an employer finds an application of a barrier-free, recently employed applicant acceptable (it then competes with other job seekers for the vacancy).", f"{FIT}, to ~1% of the stock to work per month ({CAL})")
    employer_openness_mean: float = par(0.5, 0, 1, "Mean openness of employers to candidates from bijstand.", "assumption (seed 002: employers get too few candidates and do not know their skills)")
    employer_known_share: float = par(0.2, 0, 1, "Share of employers the municipality's account managers know.", "assumption (seed 000: account management)")
    known_employer_openness_bonus: float = par(0.3, 0, 1, "Extra openness of employers the job service knows.", "assumption")
    screening_penalty_language: float = par(0.6, 0, 1, "Drop in hiring chance when the employer requires Dutch and the applicant lacks it.", "assumption")
    screening_penalty_health: float = par(0.5, 0, 1, "Drop when the employer requires good health and the applicant lacks it.", "assumption")
    screening_penalty_qualification: float = par(0.5, 0, 1, "Drop when the employer requires a start qualification and the applicant lacks it.", "assumption")
    screening_penalty_literacy: float = par(0.25, 0, 1, "Drop in hiring chance for low-literate applicants (written applications, forms, instructions).", "assumption (OECD PIAAC: low literacy goes with much lower employment; Stichting Lezen & Schrijven)")
    screening_penalty_debt: float = par(0.3, 0, 1, "Drop when the employer screens on debts and the applicant has problematic debt.", f"{CAL} (Panteia 2018: employers hesitate to hire people with debts)")
    screening_penalty_no_experience: float = par(0.3, 0, 1, "Drop for applicants with no work experience.", "assumption")
    sector_experience_bonus: float = par(0.5, 0, 3, "Relative rise in hiring chance with experience in the employer's sector.", "assumption")
    age_penalty_per_year_over_45: float = par(0.035, 0, 0.2, "Relative drop in hiring chance per year of age above 45.", "Carlsson & Eriksson 2019 (Labour Economics): callbacks fall steadily with age from the 40s")
    duration_stigma_max_share: float = par(0.5, 0, 1, "Largest drop in hiring chance from time out of work.", "Kroft, Lange & Notowidigdo 2013 (QJE): callbacks fall by about half over the first 8 months, then flatten")
    duration_stigma_months: float = par(8.0, 0.1, 120, "Time scale of that drop.", "Kroft, Lange & Notowidigdo 2013", "months")
    skill_depreciation_per_year: float = par(0.06, 0, 0.5, "Relative loss of hiring chance per year out of work (human capital depreciation).", "assumption (order of Edin & Gustavsson 2008: skill loss ~5%/yr out of work)")
    parttime_accept_base_share: float = par(0.673, 0, 1, "Chance of accepting a part-time offer without any financial gain.", f"{FIT}, to the share with part-time earnings ({CAL})")
    parttime_accept_gain_per_100_eur: float = par(0.15, 0, 1, "Rise in that chance per EUR 100 a month kept on top of the benefit.", "Knoef & van Ours 2016 (J Popul Econ): an earnings disregard raised part-time work of single mothers on welfare")
    referral_on_contact_share: float = par(0.15, 0, 1, "Chance a consultant contact leads to a referral to a vacancy.", "assumption")
    referral_hire_multiplier: float = par(2.0, 1, 10, "Hiring chance of a referred candidate relative to an own application.", "assumption (consultants pre-screen)")

    # ---- wages and jobs --------------------------------------------------------------------
    fulltime_net_wage_eur_per_month: float = par(1900.0, 0, 10000, "Mean net monthly wage of a full-time job found from bijstand.", "assumption (around minimum wage, 2024)", "EUR/month")
    parttime_hours_per_week_min: float = par(6.0, 1, 40, "Fewest weekly hours of a part-time job.", "assumption", "hours/week")
    parttime_hours_per_week_max: float = par(16.0, 1, 40, "Most weekly hours of a part-time job.", "assumption", "hours/week")
    parttime_net_wage_eur_per_hour: float = par(11.16, 0, 100, "Net hourly wage of part-time jobs.", f"{FIT}, to mean earnings EUR 530-556/month ({CAL}, Divosa)", "EUR/hour")
    parttime_job_end_per_month: float = par(0.035, 0, 1, "Monthly chance a part-time job ends.", "assumption")
    parttime_to_fulltime_per_month: float = par(0.02, 0, 1, "Monthly chance a part-time job grows into enough hours to leave benefit.", "assumption (stepping stone, seed 001 point 9; Godoy & Roed 2016)")
    job_loss_per_month: float = par(0.008, 0, 1, "Monthly chance a job found from bijstand ends, after the first year.", "assumption")
    job_loss_first_year_extra_per_month: float = par(0.0392, 0, 1, "Extra monthly chance in the first 12 months (temporary contracts).", f"{FIT}, to 16% back within a year ({CAL}, Divosa); then about 19% of jobs end within 6 months (CBS 2024: 82% still employed after 6 months)")
    job_loss_poor_health_multiplier: float = par(1.5, 1, 5, "Job-loss hazard multiplier for poor physical or mental health.", "assumption")
    return_after_job_loss_share: float = par(0.7, 0, 1, "Share of those who lose a job that come back to bijstand (the rest find other work or income).", "assumption")
    ww_min_tenure_months: int = par(6, 0, 60, "Job tenure that gives WW first (26 of 36 weeks), delaying a return.", "WW rules (weken-eis)", "months")
    ww_months_before_return: int = par(3, 0, 24, "Fewest months on WW (the duration follows the work history, see work_history_share).", "WW rules (minimum duration 3 months)", "months")
    work_history_share: float = par(0.4, 0, 1, "Share of adult years (from 18) a leaver from bijstand has worked: the work history that sets the WW duration (a month per year for 10 years, then half a month; at most 24).", "assumption (bijstand inflow is mostly from inactivity, 19-31% from a job: CALIBRATION.md, SEO 2019); WW rules since 2016")
    ww_inflow_per_job_per_month: float = par(0.0026, 0, 0.05, "New WW benefits a month per job in the city in a stable market: the job losers who enter the city's WW pool.", "UWV: about 27,500 new WW benefits a month in 2019, over the 10.7 million jobs of CBS 2019 (plausible 0.002-0.0035)", "benefits/job/month")
    ww_job_finding_per_month: float = par(0.07, 0, 1, "Monthly chance of finding work while on WW in a stable market (then no claim on bijstand): for bijstand leavers on WW and for the city's WW pool, where it moves with the hires per job seeker of the local market.", "assumption (UWV: WW spells last about 8 months on average and most end in work)")
    claim_after_job_loss_per_month: float = par(0.5, 0.01, 1, "Monthly chance that someone whose job (or WW) ended, and who will need bijstand, claims it; the rest first live on a last wage or savings or search on their own.", "assumption (under-27s must search four weeks first: Participatiewet art. 41(4)); spreads returns over the months after a job ends")

    # ---- consultants -----------------------------------------------------------------------
    caseload_per_consultant: float = par(150.0, 10, 1000, "Recipients per consultant (full-time equivalent).", "seed 001 point 2 (caseloads of 1:150 and more are common)", "recipients")
    consultant_client_hours_per_month: float = par(90.0, 1, 200, "Hours per month a consultant spends with clients.", "assumption (36 h/week, 60% client time)", "hours/month")
    hours_per_contact: float = par(1.5, 0.1, 20, "Hours one standard contact takes, preparation included.", "assumption", "hours")
    new_client_priority: float = par(3.0, 0, 20, "Extra contact weight of clients in their first 6 months.", "assumption (consultants focus on new inflow)")
    contact_motivation_gain: float = par(0.02, 0, 1, "Rise of motivation (share of the gap to 1) from one standard contact.", "seed 001 point 2: standard re-integration has low effect; assumption on size")
    contact_confidence_gain: float = par(0.02, 0, 1, "Rise of self-confidence (share of the gap to 1) from one standard contact.", "assumption")
    trust_build_months: float = par(12.0, 0.1, 120, "Months with the same consultant to reach full trust (contact works half as well without it).", "seed 003 (a fixed, trusted contact); assumption on size", "months")
    consultant_turnover_per_month: float = par(0.03, 0, 1, "Monthly chance a recipient gets another consultant.", "assumption")
    consultant_cost_eur_per_year: float = par(75000.0, 0, 500000, "Cost of one consultant FTE, employer charges included.", "assumption (CAO Gemeenten scale 9-10)", "EUR/year")
    neighbourhoods: int = par(8, 1, 500, "Number of neighbourhoods in the municipality.", "assumption")

    # ---- barrier dynamics ------------------------------------------------------------------
    confidence_erosion_per_month: float = par(0.006, 0, 0.5, "Monthly loss of self-confidence (share of its level) while out of work.", "Paul & Moser 2009 (meta-analysis): unemployment erodes well-being; assumption on rate")
    motivation_erosion_per_month: float = par(0.008, 0, 0.5, "Monthly loss of motivation (share of its level) after a month of fruitless search.", "Krueger & Mueller 2011: search effort falls with duration; assumption on rate")
    mental_health_decline_per_month: float = par(0.0008, 0, 0.1, "Monthly decline of mental health while out of work.", "Paul & Moser 2009; SEO 2019 (psychological problems); assumption on rate")
    physical_health_decline_per_month_over_50: float = par(0.001, 0, 0.1, "Monthly decline of physical health after age 50.", "assumption")
    recovery_in_work_per_month: float = par(0.03, 0, 1, "Monthly recovery of confidence, motivation and mental health (share of the gap to 1) while working.", "assumption (reverse of the erosion)")
    debt_onset_per_month: float = par(0.003, 0, 0.2, "Monthly chance of problematic debt arising on benefit income.", "assumption, calibrated to a stable debt share")
    debt_resolved_per_month: float = par(0.003, 0, 0.2, "Monthly chance problematic debt resolves without help.", "assumption")
    debt_help_intake_per_month_share: float = par(0.004, 0, 0.2, "Baseline debt-help capacity: new debt arrangements per month as a share of the initial stock.", "seed 003 (Arnhem helped 382 people in 2019 on ~7,800 recipients: ~0.004 a month)", "share/month")
    debt_help_uptake_per_contact: float = par(0.08, 0, 1, "Chance a debtor seen by a consultant accepts a referral to debt help (many never seek help).", "assumption (Nibud/Panteia: only a minority of households with problematic debts get help)")
    debt_arrangement_months: int = par(36, 1, 120, "Length of a debt arrangement.", "issue 3 / MSNP: about 3 years", "months")
    debt_mean_eur: float = par(40000.0, 0, 1e6, "Mean problematic debt.", "assumption (NVVK: average debt of clients ~EUR 40k)", "EUR")
    service_max_wait_months: float = par(6.0, 0, 600, "Consultants refer people to a measure's service only while its waiting list is shorter than this many months of starts (places / months per participation); 0: only to free places.", "assumption: gemeenten select who gets a trajectory within its capacity (Inspectie Werk en Inkomen 2005, Kiezen en delen) and keep waiting lists to months", "months")

    # ---- sanctions -------------------------------------------------------------------------
    sanction_detection_share: float = par(0.03, 0, 1, "Chance that non-compliance seen at a contact leads to a sanction.", "assumption, calibrated to ~0.5% of the stock sanctioned per month (soft)")
    sanction_cut_share: float = par(1.0, 0, 1, "Share of the benefit cut during a sanction.", f"{CAL} (art. 18 Pw: 100%)")
    sanction_first_months: int = par(1, 0, 12, "Months of the first sanction; each repeat adds one, up to the maximum.", f"{CAL} (first offence usually 1 month)", "months")
    sanction_max_months: int = par(3, 0, 12, "Longest sanction.", f"{CAL} (1-3 months)", "months")
    sanction_threat_search_effect: float = par(0.4, 0, 3, "Rise in search effort per unit of sanction strictness (the threat effect).", "Arni, Lalive & van Ours 2013 (J Appl Econometrics): warnings alone raise exits")
    post_sanction_search_boost: float = par(0.6, 0, 5, "Rise in search effort in the 6 months after a sanction.", "van den Berg, van der Klaauw & van Ours 2004 (J Labor Econ): sanctions raise welfare-to-work exits in Rotterdam")
    post_sanction_job_loss_multiplier: float = par(1.5, 1, 5, "Job-loss multiplier for jobs taken within 6 months of a sanction (lower job quality).", "Arni, Lalive & van Ours 2013")
    sanction_motivation_loss: float = par(0.05, 0, 1, "Drop in motivation (absolute) from a sanction: resentment and lost trust.", "assumption (sanctions harm well-being and trust; Arni, Lalive & van Ours 2013 discuss the quality loss)")
    sanction_dropout_share: float = par(0.05, 0, 1, "Chance a sanctioned person leaves benefit without a job.", "Arni, Lalive & van Ours 2013 (exits to non-employment)")

    unjustified_claim_share: float = par(0.03, 0, 1, "Share of claims that are not justified (undeclared income or partner).", "assumption (order of fraud estimates for social assistance; seed 001 point 7)")
    fraud_detection_per_month: float = par(0.01, 0, 1, "Monthly chance the baseline enforcement finds an unjustified benefit, which then ends.", "assumption")

    # ---- other exits and returns -----------------------------------------------------------
    youth_education_exit_per_month: float = par(0.03, 0, 1, "Monthly chance someone under 27 without a start qualification leaves benefit for education.", "art. 13(2)(c) Pw: no bijstand for under-27s who can get study finance; assumption on rate")
    exemption_on_contact_share: float = par(0.006, 0, 1, "Chance a consultant grants an exemption from the duty to work at a contact with someone in poor health.", "assumption, calibrated to ~10% exempt (CAL, Divosa)")
    pension_age_years: float = par(67.0, 60, 75, "State pension age: bijstand ends.", "AOW age 2024 (SVB)", "years")
    partner_exit_per_month: float = par(0.003, 0, 0.1, "Monthly chance a single person under 55 leaves with a partner who has income.", "assumption, calibrated so about half of exits are to work (CAL lists partner as a main other reason)")
    moved_exit_per_month: float = par(0.0015, 0, 0.1, "Monthly chance of moving out of the municipality.", "assumption, calibrated so about half of exits are to work (CAL)")
    other_benefit_exit_per_month: float = par(0.0012, 0, 0.1, "Monthly chance of moving to another benefit, for people in poor health.", "assumption (WIA/Wajong), calibrated with the other exits (CAL)")
    other_exit_per_month: float = par(0.00227, 0, 0.1, "Monthly chance of other exits (detention, unknown): they leave without an income.", f"{FIT}, so about half of exits are to work ({CAL})")
    information_end_per_month: float = par(0.000583, 0, 0.1, "Monthly chance a benefit is suspended and ended because information was not given in time (art. 54 Pw), for someone without paperwork barriers; they leave without an income.", f"{FIT}, to the returns of all leavers within a year (Divosa); an assumption before (plausible 0.0005-0.01)")
    information_end_barrier_extra: float = par(1.0, 0, 10, "How much more likely that end is for each of low literacy, poor mental health and problematic debt (1: twice as likely with one of them).", "assumption (plausible 0-3: forms and deadlines weigh most on them)")
    partner_income_ends_per_month: float = par(0.006, 0, 1, "Monthly chance that the partner's or undeclared income someone left benefit with ends (a separation, the income stops); they are then without income.", "assumption (plausible 0.003-0.012, 4-14% a year)")
    claim_again_share: float = par(0.968, 0, 1, "Share of leavers without work or another income (a benefit ended for obligations, other exits) who will need bijstand again; the rest get by on other means (family, informal work, leaving the country) and do not come back.", f"{FIT}, to the returns after enforcement (Divosa Monitor 2014: 28% within 6 months); an assumption before (plausible 0.3-0.9)")
    claim_without_income_per_month: float = par(0.0804, 0, 1, "Monthly chance that a leaver without work or another income claims bijstand again; meanwhile they live on savings, family or informal work, and search for work like recipients.", f"{FIT}, to the returns of all leavers within a year (Divosa); an assumption before (plausible 0.02-0.2)")
    followup_months: int = par(36, 12, 240, "Months leavers are followed for returns; after that they leave the model.", "assumption", "months")

    # ---- benefit rules and budget ----------------------------------------------------------
    benefit_norm_couple_eur_per_month: float = par(1869.21, 0, 5000, "Benefit norm for a couple of 21+ living alone; every other norm from 21 is a share of it under the cost-sharing norm (a single person or single parent alone: 70%, EUR 1,308.45; art. 22a Pw).", f"{CAL} (Jul 2024, net incl. holiday pay)", "EUR/month")
    benefit_norm_youth_single_eur_per_month: float = par(323.03, 0, 5000, "Youth norm of a single person or single parent aged 18-20 (art. 20 Pw); parents are expected to provide.", "national norms, 1 Jul 2024 (municipal norm tables, e.g. Velsen)", "EUR/month")
    benefit_norm_youth_couple_eur_per_month: float = par(646.06, 0, 5000, "Youth norm of a couple both aged 18-20, without children.", "national norms, 1 Jul 2024 (Velsen)", "EUR/month")
    benefit_norm_youth_couple_children_eur_per_month: float = par(1019.90, 0, 5000, "Youth norm of a couple both aged 18-20, with children.", "national norms, 1 Jul 2024 (Velsen)", "EUR/month")
    benefit_norm_mixed_couple_eur_per_month: float = par(1257.64, 0, 5000, "Norm of a couple with one partner aged 18-20 and one 21+, without children.", "national norms, 1 Jul 2024 (Velsen)", "EUR/month")
    benefit_norm_mixed_couple_children_eur_per_month: float = par(1631.48, 0, 5000, "Norm of a couple with one partner aged 18-20 and one 21+, with children.", "national norms, 1 Jul 2024 (Velsen)", "EUR/month")
    disregard_share: float = par(STATUTORY_DISREGARD["share"], 0, 1, "Share of earnings kept on top of the benefit (inkomstenvrijlating).", f"{CAL} (art. 31(2)(n) Pw)")
    disregard_cap_eur_per_month: float = par(STATUTORY_DISREGARD["cap_eur"], 0, 5000, "Cap on the earnings kept.", f"{CAL} (Jul 2024)", "EUR/month")
    disregard_max_months: int = par(STATUTORY_DISREGARD["max_months"], 0, 120, "Months the disregard applies per benefit spell.", f"{CAL}", "months")
    disregard_min_age_years: float = par(STATUTORY_DISREGARD["min_age"], 0, 67, "Minimum age for the disregard.", f"{CAL}", "years")
    state_allocation_share: float = par(1.0, 0, 3, "State allocation (BUIG), paid in equal monthly parts, as a share of the initial stock's monthly benefit at set-up (norms minus part-time earnings, before disregard and sanctions).", "assumption (budget equals need); presets use city figures")
    safety_net_own_risk_share: float = par(0.05, 0, 1, "Deficit (share of the allocation) the municipality bears alone; half of the next slice is compensated.", f"{CAL} (safety net ~2016-2017)")
    safety_net_full_share: float = par(0.10, 0, 1, "Deficit share above which the state compensates fully.", f"{CAL}")

    @model_validator(mode="after")
    def _consistent(self) -> Parameters:
        """Shares of one whole must not exceed it; ranges must not be upside down."""
        parts = (
            ("stock_share_age_under_27", "stock_share_age_27_45"),
            ("inflow_share_age_under_27", "inflow_share_age_27_45"),
            ("stock_share_single", "stock_share_single_parent"),
            ("inflow_share_from_ww", "inflow_share_from_job", "inflow_share_from_school"),
        )
        for names in parts:
            if sum(getattr(self, n) for n in names) > 1:
                raise ValueError(f"{' + '.join(names)} must be at most 1")
        ordered = (
            ("stock_share_statushouder", "stock_share_migrant"),
            ("parttime_hours_per_week_min", "parttime_hours_per_week_max"),
            ("safety_net_own_risk_share", "safety_net_full_share"),
            ("sanction_first_months", "sanction_max_months"),
        )
        for low, high in ordered:
            if getattr(self, low) > getattr(self, high):
                raise ValueError(f"{low} must not exceed {high}")
        return self


def parameter_table() -> list[dict[str, Any]]:
    """One dict per parameter: name, default, unit, bounds, description, source."""
    rows = []
    for name, field in Parameters.model_fields.items():
        extra = field.json_schema_extra or {}
        lo = hi = None
        for m in field.metadata:
            lo = getattr(m, "ge", lo)
            hi = getattr(m, "le", hi)
        allowed = f"{lo} .. {hi}" if lo is not None or hi is not None else ""
        if name in ("labour_market", "sector_mix"):
            allowed = ", ".join(get_args(field.annotation))
        rows.append(
            {
                "name": name,
                "default": field.default,
                "unit": extra.get("unit", ""),
                "allowed": allowed,
                "description": field.description,
                "source": extra.get("source", ""),
            }
        )
    return rows


def _unknown_key_message(key: str, where: str) -> str:
    valid = list(Parameters.model_fields)
    close = difflib.get_close_matches(key, valid, n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    return (
        f"{where}unknown parameter '{shorter(key)}'.{hint} Valid parameters: {', '.join(valid)} "
        "(see `labour-abm params`)."
    )


def resolve_parameters(*layers: dict[str, Any], where: str = "") -> Parameters:
    """Merge override layers (later wins) over the defaults and validate.

    Raises :class:`UserError` naming the key and what is allowed.
    """
    merged: dict[str, Any] = {}
    for layer in layers:
        for key, value in layer.items():
            if key not in Parameters.model_fields:
                raise UserError(_unknown_key_message(key, where))
            if isinstance(value, bool):  # pydantic would take true for 1 (no bool parameters exist)
                raise UserError(f"{where}parameter '{key}': got {value!r}, but it is not a yes/no setting.")
            merged[key] = value
    try:
        return Parameters(**merged)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(x) for x in err["loc"])
        if not key:  # a cross-field check
            raise UserError(f"{where}{err['msg'].removeprefix('Value error, ')}.") from None
        row = next((r for r in parameter_table() if r["name"] == key), None)
        allowed = f" Allowed: {row['allowed']}." if row and row["allowed"] else ""
        raise UserError(
            f"{where}parameter '{key}': {err['msg']} (got {short(err.get('input'))}).{allowed}"
        ) from None


def parse_assignment(text: str) -> tuple[str, Any]:
    """Parse ``key=value`` from the command line; the value is typed by the parameter."""
    if "=" not in text:
        raise UserError(f"--set expects key=value, got '{shorter(text)}'.")
    key, raw = (s.strip() for s in text.split("=", 1))
    if key not in Parameters.model_fields:
        raise UserError(_unknown_key_message(key, "--set: "))
    annotation = Parameters.model_fields[key].annotation
    try:
        if annotation is int:
            value: Any = int(raw)
        elif annotation is float:
            value = float(raw)
        else:
            value = raw
    except ValueError:
        kind = "an integer" if annotation is int else "a number"
        raise UserError(f"--set: parameter '{key}' needs {kind}, got '{shorter(raw)}'.") from None
    return key, value
