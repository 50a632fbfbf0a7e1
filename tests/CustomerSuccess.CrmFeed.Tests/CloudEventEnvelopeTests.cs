using System.Text;
using System.Text.Json;
using CustomerSuccess.CrmFeed.Envelopes;

namespace CustomerSuccess.CrmFeed.Tests;

public sealed class CloudEventEnvelopeTests
{
    [Fact]
    public void Risk_change_is_written_as_structured_cloudevent_with_everything_a_crm_acts_on()
    {
        var envelope = CrmEventSamples.RiskEnvelope();

        const string expected =
            """
            {"specversion":"1.0","id":"01JF8Z3K5Q2W9V7X6Y4T3R2E1A","source":"urn:customersuccess:renewal","type":"customersuccess.risk.changed.v1","subject":"acme","time":"2026-11-30T09:15:00.000Z","datacontenttype":"application/json","dataschema":"urn:customersuccess:schema:customersuccess.risk.changed.v1","sequence":"00000000000000000042","data":{"customerId":"acme","level":"high","previousLevel":"medium","reasons":[{"code":"champion_left","text":"Champion Dana Lee left on 2026-11-28.","since":"2026-11-28T09:15:00.000Z"}],"contractId":"acme-2026","arr":48000,"currency":"EUR","endsOn":"2027-01-31","daysToRenewal":62,"owner":"jane.doe@example.com","tier":"key_account","health":{"score":41.5,"band":"red","quadrant":"Q2"},"changedAt":"2026-11-30T09:15:00.000Z"}}
            """;
        Assert.Equal(expected, Encoding.UTF8.GetString(envelope.Body.Span));
        Assert.Equal(("01JF8Z3K5Q2W9V7X6Y4T3R2E1A", CrmEventTypes.RiskChanged, "acme", "00000000000000000042"),
            (envelope.Id, envelope.Type, envelope.Subject, envelope.Sequence));
    }

    [Fact]
    public void The_same_service_event_always_gives_the_same_bytes()
    {
        Assert.Equal(CrmEventSamples.RiskEnvelope().Body.ToArray(), CrmEventSamples.RiskEnvelope().Body.ToArray());
    }

    [Fact]
    public void Sequence_is_fixed_width_so_text_order_is_numeric_order()
    {
        var risk = CrmEventSamples.Risk();
        var earlier = CrmEvents.RiskChanged(risk, 9, null, null, null).Sequence;
        var later = CrmEvents.RiskChanged(risk, 10, null, null, null).Sequence;

        Assert.Equal(CloudEventWriter.SequenceDigits, later.Length);
        Assert.True(string.CompareOrdinal(earlier, later) < 0);
    }

    [Fact]
    public void Every_type_names_its_source_service_and_schema_and_carries_a_data_object()
    {
        foreach (var envelope in CrmEventSamples.All())
        {
            using var document = JsonDocument.Parse(envelope.Body);
            var root = document.RootElement;
            Assert.Equal("1.0", root.GetProperty("specversion").GetString());
            Assert.StartsWith("urn:customersuccess:", root.GetProperty("source").GetString(), StringComparison.Ordinal);
            Assert.Equal(CrmEventTypes.DataSchema(envelope.Type), root.GetProperty("dataschema").GetString());
            Assert.Equal(JsonValueKind.Object, root.GetProperty("data").ValueKind);
        }

        Assert.Equal(CrmEventTypes.All.Order(), CrmEventSamples.All().Select(e => e.Type).Distinct().Order());
    }

    [Fact]
    public void Non_ascii_text_is_written_as_utf8_not_escaped()
    {
        var envelope = CrmEvents.RiskChanged(CrmEventSamples.Risk() with { Reasons = [new("champion_left", "Champion Zoë left — «adieu»", CrmEventSamples.At)] }, 1, "Zoë", null, null);

        Assert.Contains("Champion Zoë left — «adieu»", Encoding.UTF8.GetString(envelope.Body.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void The_feed_store_reads_back_the_attributes_it_indexes()
    {
        var envelope = CrmEventSamples.RiskEnvelope();

        var attributes = CloudEventAttributes.Read(envelope.Body, out var problem);

        Assert.Null(problem);
        Assert.Equal(new CloudEventAttributes(envelope.Id, envelope.Type, "acme", CrmEventSamples.At), attributes);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"specversion":"0.3","id":"a","type":"customersuccess.risk.changed.v1","subject":"s","time":"2026-01-01T00:00:00Z"}""")]
    [InlineData("""{"specversion":"1.0","id":"a","type":"com.example.other","subject":"s","time":"2026-01-01T00:00:00Z"}""")]
    [InlineData("""{"specversion":"1.0","type":"customersuccess.risk.changed.v1","subject":"s","time":"2026-01-01T00:00:00Z"}""")]
    [InlineData("""{"specversion":"1.0","id":"a","type":"customersuccess.risk.changed.v1","subject":"s"}""")]
    public void Messages_that_are_not_crm_feed_cloudevents_are_refused(string body)
    {
        Assert.Null(CloudEventAttributes.Read(Encoding.UTF8.GetBytes(body), out var problem));
        Assert.NotNull(problem);
    }

    [Fact]
    public void Unknown_types_cannot_be_written()
    {
        Assert.Throws<ArgumentException>(() => CloudEventWriter.Write("id", "customersuccess.unknown.v1", "renewal", "acme", CrmEventSamples.At, 1, _ => { }));
    }
}
