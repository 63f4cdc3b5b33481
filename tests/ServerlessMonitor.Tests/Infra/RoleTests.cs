using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ServerlessMonitor.Tests.Infra;

/// <summary>
/// The role assignments the template would make, as the compiler evaluates them: which built-in
/// role (by GUID), to whom, on which resource. Exactly these and nothing broader.
/// </summary>
public sealed partial class RoleTests
{
    // Built-in role definition IDs (learn.microsoft.com/azure/role-based-access-control/built-in-roles).
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string CommunicationAndEmailServiceOwner = "09976791-48a7-449e-bb21-39d1a415f350";

    private const string App = "the apps' identity";
    private const string User = "the deploying principal";

    [Fact]
    public void The_app_identity_and_the_deploying_principal_get_exactly_these_roles_each_on_one_resource()
    {
        var expected = new[]
        {
            (App, StorageBlobDataOwner, "Microsoft.Storage/storageAccounts"),
            (App, StorageQueueDataContributor, "Microsoft.Storage/storageAccounts"),
            (App, StorageTableDataContributor, "Microsoft.Storage/storageAccounts"),
            (App, KeyVaultSecretsUser, "Microsoft.KeyVault/vaults"),
            (App, MonitoringMetricsPublisher, "Microsoft.Insights/components"),
            (App, CommunicationAndEmailServiceOwner, "Microsoft.Communication/communicationServices"),
            (User, StorageBlobDataContributor, "Microsoft.Storage/storageAccounts"),
            (User, StorageQueueDataContributor, "Microsoft.Storage/storageAccounts"),
            (User, StorageTableDataContributor, "Microsoft.Storage/storageAccounts"),
        };
        Assert.Equal(expected.Order(), Assignments(InfraTemplate.Defaults).Select(a => (a.Principal, a.Role, a.ScopeType)).Order());
    }

    [Fact]
    public void Without_a_principal_id_only_the_app_identity_gets_roles()
    {
        Assert.All(Assignments(InfraTemplate.EveryRegion), a => Assert.Equal(App, a.Principal));
        Assert.Equal(6, Assignments(InfraTemplate.EveryRegion).Count);
    }

    [Fact]
    public void Every_role_is_scoped_to_a_resource_of_this_deployment_never_a_group_or_subscription()
    {
        var snapshot = InfraTemplate.Defaults;
        var ids = snapshot.Resources.Select(r => (string?)r["id"]).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.All(Assignments(snapshot), a =>
        {
            Assert.Contains(a.Scope, ids);
            Assert.Contains("/providers/", a.Scope);
        });
    }

    [Fact]
    public void Assignment_names_derive_from_scope_principal_and_role_so_reprovisioning_is_idempotent()
    {
        var assignments = RoleAssignmentsIn(InfraTemplate.Template).ToList();
        Assert.NotEmpty(assignments);
        Assert.All(assignments, r => Assert.Matches(
            @"^\[guid\(resourceId\('[\w./]+', parameters\('\w+'\)\), parameters\('\w*[pP]rincipalId'\), variables\('\w+'\)(\[copyIndex\(\)\])?\)\]$",
            (string)r["name"]!));
    }

    [Fact]
    public void Declares_the_app_identity_a_service_principal_so_a_new_identity_is_not_looked_up_too_early()
    {
        Assert.All(Assignments(InfraTemplate.Defaults).Where(a => a.Principal == App), a => Assert.Equal("ServicePrincipal", a.PrincipalType));
    }

    private static List<(string Principal, string Role, string ScopeType, string Scope, string PrincipalType)> Assignments(Snapshot snapshot)
    {
        var identity = snapshot.Single("Microsoft.ManagedIdentity/userAssignedIdentities");
        return snapshot.OfType("Microsoft.Authorization/roleAssignments").Select(r =>
        {
            var properties = r["properties"]!;
            var definition = (string)properties["roleDefinitionId"]!;
            Assert.Equal($"/subscriptions/{InfraTemplate.SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/", definition[..(definition.LastIndexOf('/') + 1)]);
            var principalId = (string)properties["principalId"]!;
            var principal = principalId == InfraTemplate.PrincipalId ? User
                : principalId.Contains((string)identity["id"]!, StringComparison.OrdinalIgnoreCase) && principalId.EndsWith(".principalId]", StringComparison.Ordinal) ? App
                : throw new Xunit.Sdk.XunitException($"a role goes to an unknown principal: {principalId}");
            var scope = Scope(r);
            var scopeType = snapshot.Resources.Single(x => string.Equals((string?)x["id"], scope, StringComparison.OrdinalIgnoreCase))["type"]!.ToString();
            return (principal, definition.Split('/')[^1], scopeType, scope, (string?)properties["principalType"] ?? "");
        }).ToList();
    }

    /// <summary>The resource a role assignment is an extension of: the first argument of its extensionResourceId().</summary>
    private static string Scope(JsonObject assignment)
    {
        var id = (string)assignment["id"]!;
        const string Extension = "/providers/Microsoft.Authorization/roleAssignments/";
        if (!id.StartsWith('[') && id.Contains(Extension, StringComparison.Ordinal))
        {
            return id[..id.IndexOf(Extension, StringComparison.Ordinal)];
        }

        var match = ExtensionScope().Match(id);
        Assert.True(match.Success, $"role assignment without a resource scope: {id}");
        return match.Groups[1].Value;
    }

    /// <summary>Role assignments declared anywhere in the compiled template, nested deployments included.</summary>
    private static IEnumerable<JsonObject> RoleAssignmentsIn(JsonNode? node) => node switch
    {
        JsonObject o when (string?)o["type"] is { } type && type.Equals("Microsoft.Authorization/roleAssignments", StringComparison.OrdinalIgnoreCase) => [o],
        JsonObject o => o.SelectMany(p => RoleAssignmentsIn(p.Value)),
        JsonArray a => a.SelectMany(RoleAssignmentsIn),
        _ => [],
    };

    [GeneratedRegex(@"^\[extensionResourceId\('([^']+)', 'Microsoft\.Authorization/roleAssignments'")]
    private static partial Regex ExtensionScope();
}
