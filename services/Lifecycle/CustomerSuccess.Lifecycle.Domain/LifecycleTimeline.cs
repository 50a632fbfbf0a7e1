using System.Globalization;
using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.Lifecycle.Domain;

/// <summary>
/// Derives a customer's lifecycle as of an instant: every fact is placed at its business time (occurredAt; contracts at
/// startsOn, effectiveOn; windows at openedOn), the facts are sorted and folded, and the rules that fire by the passage
/// of time alone (renewal window from the contract dates, lapse after the grace period, mature after sustained health)
/// fire between them at their own instants. Arrival order never matters: a late fact changes the derived past.
/// </summary>
public static class LifecycleTimeline
{
    public static LifecycleView Derive(LifecycleHistory history, LifecycleSettings settings, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(settings);
        var fold = new Fold(settings);
        foreach (var (at, apply) in Facts(history).Where(f => f.At <= asOf).OrderBy(f => f.At).ThenBy(f => f.Rank).ThenBy(f => f.Sequence)
                     .Select(f => (f.At, f.Apply)))
        {
            fold.AdvanceTo(at);
            apply(fold);
        }

        fold.AdvanceTo(asOf);
        return fold.View(history.Id, asOf);
    }

    /// <summary>Midnight UTC at the start of <paramref name="day"/>: where date-only facts count.</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public static DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.UtcDateTime);

    private sealed record Fact(DateTimeOffset At, int Rank, int Sequence, Action<Fold> Apply);

    private static IEnumerable<Fact> Facts(LifecycleHistory history)
    {
        var sequence = 0;
        foreach (var e in history.ContractsSigned)
        {
            yield return new Fact(StartOf(e.StartsOn), 0, sequence++, f => f.Signed(e));
        }

        foreach (var e in history.Profiles)
        {
            yield return new Fact(e.OccurredAt, 1, sequence++, f => f.Profiled(e));
        }

        foreach (var e in history.Amendments)
        {
            yield return new Fact(StartOf(e.EffectiveOn), 2, sequence++, f => f.Amended(e));
        }

        foreach (var e in history.Renewals)
        {
            yield return new Fact(e.OccurredAt, 3, sequence++, f => f.Renewed(e));
        }

        foreach (var e in history.Windows)
        {
            yield return new Fact(StartOf(e.OpenedOn), 4, sequence++, f => f.WindowOpened(e));
        }

        foreach (var e in history.Milestones)
        {
            yield return new Fact(e.OccurredAt, 5, sequence++, f => f.Reached(e));
        }

        foreach (var e in history.Seats)
        {
            yield return new Fact(e.OccurredAt, 6, sequence++, f => f.SeatsReported(e));
        }

        foreach (var e in history.Health)
        {
            yield return new Fact(e.EvaluatedAt, 7, sequence++, f => f.HealthObserved(e));
        }

        foreach (var e in history.Cancellations)
        {
            yield return new Fact(StartOf(e.EffectiveOn), 8, sequence++, f => f.Cancelled(e));
        }

        // The last calibration of each day is that day's result; earlier ones the same day were superseded.
        foreach (var e in history.Calibrations.Select((c, i) => (c, i)).GroupBy(x => DayOf(x.c.AsOf))
                     .Select(day => day.OrderBy(x => x.c.AsOf).ThenBy(x => x.i).Last().c))
        {
            yield return new Fact(e.AsOf, 9, sequence++, f => f.Calibrated(e));
        }

        foreach (var e in history.Pins)
        {
            yield return new Fact(e.At, 10, sequence++, f => f.Pinned(e));
        }

        foreach (var e in history.Unpins)
        {
            yield return new Fact(e.At, 10, sequence++, f => f.Unpinned(e));
        }
    }

    /// <summary>The state of the fold; only <see cref="LifecycleTimeline"/> drives it, in business-time order.</summary>
    private sealed class Fold(LifecycleSettings settings)
    {
        private readonly Dictionary<string, Contract> _contracts = new(StringComparer.Ordinal);
        private readonly List<StagePeriod> _stages = [];
        private readonly List<MilestoneRecord> _milestones = [];
        private readonly List<TierPeriod> _tiers = [];
        private DateTimeOffset _cursor = DateTimeOffset.MinValue;
        private int _life;
        private int _timesWonBack;
        private DateTimeOffset? _lifeStartedAt;
        private bool _lapsed;
        private bool _handoverProfiled;
        private bool _keyAccountProfiled;
        private int? _locations;
        private int? _reportedSeats;
        private decimal? _outcome;
        private DateTimeOffset? _healthySince;
        private CustomerTier _calibrated = CustomerTier.Standard;
        private string _calibratedReason = "standard until calibrated";
        private int _calibratedDays;
        private CustomerTier? _streakTier;
        private int _streak;
        private (CustomerTier Tier, string Reason)? _pin;

        /// <summary>
        /// One contract: its terms run from one end to the next (a renewal's price applies from the end of the term before
        /// it, not from the day it is signed), an amendment from its effective date; in force up to, not including, its end.
        /// </summary>
        private sealed class Contract(string id, DateOnly startsOn, DateOnly endsOn, decimal arr, int seats)
        {
            // Price points in business order: a term's start (order 0), then an amendment effective the same day (order 1).
            private readonly List<(DateOnly From, int Order, decimal Arr, int? Seats)> _prices = [(startsOn, 0, arr, seats)];

            public string Id { get; } = id;

            public DateOnly StartsOn { get; } = startsOn;

            public DateOnly EndsOn { get; private set; } = endsOn;

            public bool Cancelled { get; set; }

            /// <summary>A new contract signed in this one's renewal window took its place: its renewal is no longer awaited.</summary>
            public bool Replaced { get; set; }

            /// <summary>The window Renewal opened for this contract, valid while the term it was opened for has not been renewed past.</summary>
            public RenewalWindowObserved? Window { get; private set; }

            public void Amend(DateOnly effectiveOn, decimal amendedArr, int amendedSeats) => _prices.Add((effectiveOn, 1, amendedArr, amendedSeats));

            /// <summary>A renewal that does not move the end adds no term (as in Renewal); its price is not applied.</summary>
            public void Renew(DateOnly renewedTo, decimal renewedArr, int? renewedSeats)
            {
                Replaced = false;
                if (renewedTo > EndsOn)
                {
                    _prices.Add((EndsOn, 0, renewedArr, renewedSeats));
                    EndsOn = renewedTo;
                }
            }

            public void Observe(RenewalWindowObserved window)
            {
                // The first window seen for a term is the earliest (windows are folded by their opening date).
                if (Window is null || window.EndsOn > Window.EndsOn)
                {
                    Window = window;
                }
            }

            public bool InForceOn(DateOnly day) => !Cancelled && StartsOn <= day && day < EndsOn;

            public (decimal Arr, int Seats) PriceOn(DateOnly day)
            {
                var (price, seatCount) = (_prices[0].Arr, _prices[0].Seats ?? 0);
                foreach (var point in _prices.Where(p => p.From <= day).OrderBy(p => p.From).ThenBy(p => p.Order))
                {
                    (price, seatCount) = (point.Arr, point.Seats ?? seatCount);
                }

                return (price, seatCount);
            }
        }

        private StagePeriod? Current => _stages.Count > 0 ? _stages[^1] : null;

        private LifecycleStage? Stage => Current?.Stage;

        /// <summary>Fires the time-driven rules due up to <paramref name="until"/>, each at its own instant.</summary>
        public void AdvanceTo(DateTimeOffset until)
        {
            while (NextTimedRule() is { } rule && rule.At <= until)
            {
                _cursor = rule.At;
                rule.Apply();
            }

            if (until > _cursor)
            {
                _cursor = until;
            }
        }

        private (DateTimeOffset At, Action Apply)? NextTimedRule()
        {
            if (Stage is not { } stage || stage == LifecycleStage.Churned)
            {
                return null;
            }

            var candidates = new List<(DateTimeOffset At, int Rank, Action Apply)>();
            if (stage == LifecycleStage.Adoption && _healthySince is { } healthy)
            {
                var since = Max(healthy, Current!.Since);
                candidates.Add((since.AddDays(settings.MatureAfterDays), 0, () => MoveTo(LifecycleStage.Mature, Invariant(
                    $"sustained healthy use: health {Wire(settings.MatureBand)} or better for {settings.MatureAfterDays} days"))));
            }

            var today = DayOf(_cursor);
            if (stage != LifecycleStage.Renewal && AwaitingRenewal(today).OrderBy(WindowOpensOn).ThenBy(c => c.EndsOn).FirstOrDefault() is { } next)
            {
                // The contract whose window opens first sets the window: a later-ending add-on does not delay the main contract's.
                var opens = WindowOpensOn(next);
                candidates.Add((Max(StartOf(opens), _cursor), 1, () => MoveTo(LifecycleStage.Renewal, Invariant(
                    $"renewal window open since {opens:yyyy-MM-dd}: contract ends on {next.EndsOn:yyyy-MM-dd}"))));
            }

            if (TermEnd() is { } end)
            {
                candidates.Add((Max(StartOf(end.AddDays(settings.LapseGraceDays)), _cursor), 2, () =>
                {
                    _lapsed = true;
                    MoveTo(LifecycleStage.Churned, Invariant(
                        $"lapsed: the contract ended on {end:yyyy-MM-dd} without a renewal ({settings.LapseGraceDays} days' grace)"),
                        churnReason: "lapsed");
                }));
            }

            if (stage == LifecycleStage.Renewal && Due(today).MinBy(c => c.EndsOn) is { } due)
            {
                // A due contract that lapses while others run on (the last one's lapse is the churn above, ranked first).
                candidates.Add((StartOf(due.EndsOn.AddDays(settings.LapseGraceDays)), 3, () => LeaveRenewalWhenNothingIsDue(Invariant(
                    $"contract {due.Id} ended on {due.EndsOn:yyyy-MM-dd} without a renewal ({settings.LapseGraceDays} days' grace); {OtherContracts()}"))));
            }

            return candidates.Count == 0 ? null : candidates.OrderBy(c => c.At).ThenBy(c => c.Rank).Select(c => (c.At, c.Apply)).First();
        }

        /// <summary>The end of the latest contract not cancelled: the customer lapses once it has passed unrenewed.</summary>
        private DateOnly? TermEnd() =>
            _contracts.Values.Where(c => !c.Cancelled).Select(c => (DateOnly?)c.EndsOn).DefaultIfEmpty(null).Max();

        /// <summary>Contracts whose renewal is still awaited on <paramref name="day"/>: not cancelled, not replaced, not lapsed.</summary>
        private IEnumerable<Contract> AwaitingRenewal(DateOnly day) => _contracts.Values
            .Where(c => !c.Cancelled && !c.Replaced && c.EndsOn.AddDays(settings.LapseGraceDays) > day)
            .OrderBy(c => c.Id, StringComparer.Ordinal);

        /// <summary>Those of them whose renewal window is open on <paramref name="day"/>.</summary>
        private IEnumerable<Contract> Due(DateOnly day) => AwaitingRenewal(day).Where(c => WindowOpensOn(c) <= day);

        /// <summary><see cref="LifecycleSettings.RenewalWindowDays"/> before the contract's end, or earlier if Renewal opened it earlier.</summary>
        private DateOnly WindowOpensOn(Contract contract)
        {
            var opens = contract.EndsOn.AddDays(-settings.RenewalWindowDays);
            return contract.Window is { } window && window.EndsOn >= contract.EndsOn && window.OpenedOn < opens ? window.OpenedOn : opens;
        }

        private void LeaveRenewalWhenNothingIsDue(string reason)
        {
            if (Stage == LifecycleStage.Renewal && !Due(DayOf(_cursor)).Any())
            {
                MoveTo(LifecycleStage.Mature, reason);
            }
        }

        private string OtherContracts() =>
            _contracts.Values.Where(c => c.InForceOn(DayOf(_cursor))).OrderByDescending(c => c.EndsOn).ThenBy(c => c.Id, StringComparer.Ordinal)
                .FirstOrDefault() is { } latest
                ? Invariant($"contract {latest.Id} runs to {latest.EndsOn:yyyy-MM-dd}")
                : "no other contract in force";

        public void Signed(ContractSigned e)
        {
            var today = DayOf(_cursor);
            var due = Due(today).ToList();
            _contracts[e.ContractId] = new Contract(e.ContractId, e.StartsOn, e.EndsOn, e.Arr, e.Seats);
            switch (Stage)
            {
                case null:
                    StartLife(Invariant($"contract {e.ContractId} started"));
                    break;
                case LifecycleStage.Churned:
                    WinBack(Invariant($"won back: contract {e.ContractId} started after churning"));
                    break;
                case LifecycleStage.Renewal when e.EndsOn.AddDays(-settings.RenewalWindowDays) > today:
                    // The new contract answers every renewal then due: their windows must not reopen the stage.
                    foreach (var replaced in due)
                    {
                        replaced.Replaced = true;
                    }

                    MoveTo(LifecycleStage.Mature, Invariant($"new contract {e.ContractId} runs to {e.EndsOn:yyyy-MM-dd}"));
                    break;
            }
        }

        public void Profiled(CustomerProfiled e)
        {
            // handoverComplete is optional: a profile that does not state it leaves the last statement standing.
            var handoverNewlyComplete = e.HandoverComplete == true && !_handoverProfiled;
            _handoverProfiled = e.HandoverComplete ?? _handoverProfiled;
            _locations = e.Locations ?? _locations;
            if (e.KeyAccount is { } keyAccount)
            {
                _keyAccountProfiled = keyAccount;
                if (keyAccount && _calibrated != CustomerTier.KeyAccount)
                {
                    // Declared by the vendor rather than measured: it applies at once, without hysteresis.
                    SetCalibrated(CustomerTier.KeyAccount, "profiled as a key account");
                }
            }

            if (Stage is null && _handoverProfiled)
            {
                StartLife("handover completed (profile)");
            }
            else if (Stage == LifecycleStage.Churned && handoverNewlyComplete)
            {
                // Only a new handover wins the customer back: a profile restating the old one does not.
                WinBack("won back: handover completed (profile) after churning");
            }
        }

        public void Amended(ContractAmended e)
        {
            if (_contracts.TryGetValue(e.ContractId, out var contract))
            {
                contract.Amend(e.EffectiveOn, e.Arr, e.Seats);
            }
        }

        public void Renewed(ContractRenewed e)
        {
            if (_contracts.TryGetValue(e.ContractId, out var contract))
            {
                contract.Renew(e.EndsOn, e.Arr, e.Seats);
            }
            else
            {
                _contracts[e.ContractId] = new Contract(e.ContractId, DayOf(e.OccurredAt), e.EndsOn, e.Arr, e.Seats ?? 0);
            }

            if (Stage == LifecycleStage.Renewal)
            {
                // Renewing one contract (an add-on) leaves the customer in renewal while another is still due.
                LeaveRenewalWhenNothingIsDue(Invariant($"renewed: contract {e.ContractId} runs to {e.EndsOn:yyyy-MM-dd}"));
            }
            else if (Stage == LifecycleStage.Churned && _lapsed)
            {
                _lapsed = false;
                ResumeLifeOfNextLifeMilestones();
                MoveTo(LifecycleStage.Mature, Invariant($"renewed after lapsing: contract {e.ContractId} runs to {e.EndsOn:yyyy-MM-dd}"));
            }
        }

        public void WindowOpened(RenewalWindowObserved e)
        {
            if (_contracts.TryGetValue(e.ContractId, out var contract))
            {
                // Judged against its own contract: a window for a term already renewed past, or for a contract cancelled or
                // replaced, is stale.
                if (contract.Cancelled || contract.Replaced || e.EndsOn < contract.EndsOn)
                {
                    return;
                }

                contract.Observe(e);
            }

            if (Stage is LifecycleStage.Onboarding or LifecycleStage.Adoption or LifecycleStage.Mature)
            {
                MoveTo(LifecycleStage.Renewal, Invariant($"renewal window opened by Renewal on {e.OpenedOn:yyyy-MM-dd}: contract {e.ContractId} ends on {e.EndsOn:yyyy-MM-dd}"));
            }
        }

        public void Reached(MilestoneReached e)
        {
            if (e.Milestone == Milestone.HandoverCompleted && Stage is null)
            {
                StartLife("handover completed");
            }
            else if (e.Milestone == Milestone.HandoverCompleted && Stage == LifecycleStage.Churned)
            {
                WinBack("won back: handover completed after churning");
            }

            // Before the start, and after a churn, a milestone counts toward the life that starts next.
            var life = Stage is null or LifecycleStage.Churned ? _life + 1 : _life;
            if (!_milestones.Any(m => m.Milestone == e.Milestone && m.Life == life))
            {
                _milestones.Add(new MilestoneRecord(e.Milestone, e.OccurredAt, life));
            }

            if (e.Milestone == Milestone.FirstValue && Stage == LifecycleStage.Onboarding)
            {
                MoveTo(LifecycleStage.Adoption, "first value reached");
            }
        }

        public void SeatsReported(SeatsReported e) => _reportedSeats = e.Paid;

        public void HealthObserved(HealthObserved e)
        {
            _outcome = e.Outcome;
            _healthySince = e.Band >= settings.MatureBand ? _healthySince ?? e.EvaluatedAt : null;
        }

        public void Cancelled(ContractCancelled e)
        {
            if (!_contracts.TryGetValue(e.ContractId, out var contract))
            {
                return;
            }

            var wasDue = Due(DayOf(_cursor)).Contains(contract);
            contract.Cancelled = true;
            if (Stage is not { } stage || stage == LifecycleStage.Churned)
            {
                return;
            }

            // A contract ending on the effective date is no longer in force that day: the churn is this cancellation, not a lapse.
            if (!_contracts.Values.Any(c => c.InForceOn(e.EffectiveOn)))
            {
                var reason = Invariant($"cancelled: contract {e.ContractId} effective {e.EffectiveOn:yyyy-MM-dd}")
                    + (e.Reason is null ? "" : $"; reason: {e.Reason}") + (e.Competitor is null ? "" : $"; went to {e.Competitor}");
                MoveTo(LifecycleStage.Churned, reason, e.Reason ?? "cancelled", e.Competitor);
            }
            else if (wasDue)
            {
                LeaveRenewalWhenNothingIsDue(Invariant($"contract {e.ContractId} cancelled effective {e.EffectiveOn:yyyy-MM-dd}; {OtherContracts()}"));
            }
        }

        public void Calibrated(TierCalibrated e)
        {
            if (_calibratedDays++ == 0)
            {
                // A new customer is placed at once; hysteresis guards moves, not the first placement.
                SetCalibrated(e.Tier, "placed by the first calibration: " + e.Reason);
                return;
            }

            if (e.Tier == _calibrated)
            {
                _streakTier = null;
                _streak = 0;
                return;
            }

            _streak = e.Tier == _streakTier ? _streak + 1 : 1;
            _streakTier = e.Tier;
            if (_streak >= settings.TierHysteresisDays)
            {
                SetCalibrated(e.Tier, Invariant($"qualified on {_streak} consecutive daily calibrations: {e.Reason}"));
            }
        }

        public void Pinned(TierPinned e)
        {
            _pin = (e.Tier, e.Reason);
            SetTier(e.Tier, pinned: true, "pinned by a CSM: " + e.Reason);
        }

        public void Unpinned(TierUnpinned e)
        {
            if (_pin is null)
            {
                return;
            }

            _pin = null;
            SetTier(_calibrated, pinned: false, Invariant($"unpinned by a CSM ({e.Reason}); calibrated tier applies: {_calibratedReason}"));
        }

        private void SetCalibrated(CustomerTier tier, string reason)
        {
            _calibrated = tier;
            _calibratedReason = reason;
            _streakTier = null;
            _streak = 0;
            if (_pin is null)
            {
                SetTier(tier, pinned: false, reason);
            }
        }

        private void SetTier(CustomerTier tier, bool pinned, string reason)
        {
            if (_tiers.Count > 0 && _tiers[^1].Tier == tier && _tiers[^1].Pinned == pinned)
            {
                return;
            }

            _tiers.Add(new TierPeriod(tier, _cursor, reason, pinned));
        }

        private void WinBack(string reason)
        {
            _timesWonBack++;
            StartLife(reason);
        }

        /// <summary>A renewal after a lapse resumes the same life: milestones filed for a next life belong to this one.</summary>
        private void ResumeLifeOfNextLifeMilestones()
        {
            for (var i = _milestones.Count - 1; i >= 0; i--)
            {
                var milestone = _milestones[i];
                if (milestone.Life != _life + 1)
                {
                    continue;
                }

                if (_milestones.Any(m => m.Milestone == milestone.Milestone && m.Life == _life))
                {
                    _milestones.RemoveAt(i);
                }
                else
                {
                    _milestones[i] = milestone with { Life = _life };
                }
            }
        }

        private void StartLife(string reason)
        {
            _life++;
            _lifeStartedAt = _cursor;
            _lapsed = false;
            MoveTo(LifecycleStage.Onboarding, reason);
            if (ReachedInLife(Milestone.FirstValue))
            {
                // Reported before the start (or, for a won-back customer, since its churn): the first value is already there.
                MoveTo(LifecycleStage.Adoption, "first value reached before the start");
            }

            if (_tiers.Count == 0)
            {
                SetTier(_calibrated, pinned: false, _calibratedReason);
            }
        }

        private void MoveTo(LifecycleStage stage, string reason, string? churnReason = null, string? competitor = null)
        {
            if (Current is { } current)
            {
                if (current.Stage == stage)
                {
                    return;
                }

                _stages[^1] = current with { Until = _cursor };
            }

            _stages.Add(new StagePeriod(stage, _cursor, null, reason, _life, churnReason, competitor));
        }

        public LifecycleView View(string customerId, DateTimeOffset asOf)
        {
            var active = Stage is { } stage && stage != LifecycleStage.Churned;
            DateOnly? start = _lifeStartedAt is { } started ? DayOf(started) : null;
            var firstValueDue = start?.AddDays(settings.FirstValueDueDays);
            var deliveryDue = start?.AddDays(settings.DeliveryDueDays);
            var today = DayOf(asOf);
            var inForce = _contracts.Values.Where(c => c.InForceOn(today)).Select(c => c.PriceOn(today)).ToList();
            var contractSeats = inForce.Sum(c => c.Seats);
            var tier = _tiers.Count > 0 ? _tiers[^1] : null;
            return new LifecycleView
            {
                CustomerId = customerId,
                AsOf = asOf,
                Stage = Stage,
                StageSince = Current?.Since,
                StageReason = Current?.Reason,
                StageHistory = [.. _stages],
                Milestones = [.. _milestones],
                Life = _life,
                TimesWonBack = _timesWonBack,
                LifeStartedAt = _lifeStartedAt,
                FirstValueDueOn = firstValueDue,
                FirstValueOverdue = active && IsPast(firstValueDue, asOf) && !ReachedInLife(Milestone.FirstValue),
                DeliveryDueOn = deliveryDue,
                DeliveryOverdue = active && IsPast(deliveryDue, asOf) && !ReachedInLife(Milestone.Delivered),
                HandoverMissing = active && !_handoverProfiled && !ReachedInLife(Milestone.HandoverCompleted)
                    && _lifeStartedAt is { } lifeStart && asOf >= lifeStart.AddDays(settings.HandoverDueDays),
                Tier = tier?.Tier ?? _calibrated,
                TierPinned = tier?.Pinned ?? false,
                TierReason = tier?.Reason ?? _calibratedReason,
                TierSince = tier?.Since,
                CalibratedTier = _calibrated,
                TierHistory = [.. _tiers],
                Arr = inForce.Sum(c => c.Arr),
                PaidSeats = _reportedSeats ?? (contractSeats > 0 ? contractSeats : null),
                Locations = _locations,
                KeyAccountProfiled = _keyAccountProfiled,
                Outcome = _outcome,
                ContractEndsOn = TermEnd(),
            };
        }

        private bool ReachedInLife(Milestone milestone) => _milestones.Any(m => m.Milestone == milestone && m.Life == _life);

        /// <summary>Due on a day means due by its end: overdue from the next midnight UTC.</summary>
        private static bool IsPast(DateOnly? dueOn, DateTimeOffset asOf) => dueOn is { } due && asOf >= StartOf(due.AddDays(1));

        private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;
    }

    internal static string Wire<T>(T value) where T : struct, Enum =>
        typeof(T).GetField(value.ToString())?.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute), false)
            .OfType<System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute>().FirstOrDefault()?.Name ?? value.ToString();

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
