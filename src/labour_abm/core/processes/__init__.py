"""The processes of the month, one module each, in the order :meth:`LabourModel.step` calls them.

==========================  ==========================  =========================================
module                      function                    what happens
==========================  ==========================  =========================================
:mod:`.inflow`              ``inflow``                  new claims (some diverted at the gate), returns
:mod:`.contacts`            ``allocate_contacts``       consultants spend their hours on their caseload
:mod:`.services`            ``services``                debt help and measures' services, waiting lists
:mod:`.barrier_dynamics`    ``barrier_dynamics``        erosion out of work, recovery in work, debts
:mod:`.job_search`          ``search_and_obligations``  applications sent; is the duty met?
:mod:`.matching`            ``matching``                vacancies, applications, screening, hiring
:mod:`.benefit_payment`     ``earnings_and_benefit``    part-time earnings, disregard, benefit paid
:mod:`.enforcement`         ``impose_sanctions``        broken obligations seen at a contact; fraud found
:mod:`.job_loss`            ``job_loss_and_return``     jobs end; people come back (after WW, if entitled)
:mod:`.other_exits`         ``other_exits``             pension, partner, moving, other benefit, other
:mod:`.budget`              ``budget``                  allocation, safety net, staff and measure costs
:mod:`.records`             ``record``                  participation ladder, statistics, clocks
==========================  ==========================  =========================================

Each is a function ``(model, now)`` of the model and the month's state (:class:`..month.Month`).
It gathers the inputs of the pure rules (``core/rules``), applies their results, asks the
measures at its hooks, and counts what happened in ``now.tally``. docs/ODD.md section 7
describes each process in the same order.
"""
