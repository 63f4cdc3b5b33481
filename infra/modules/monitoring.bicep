// Application Insights on a Log Analytics workspace. Cost control has three layers: host.json
// samples telemetry (at most a few items per second per instance) and keeps noisy categories at
// Warning; the workspace keeps 30 days; and a daily cap stops ingestion outright if sampling is
// ever undone. Hitting the cap loses logs, never monitoring: results live in Table Storage.

param logAnalyticsName string
param appInsightsName string
param location string
param tags object
param dailyCapGb int

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
    workspaceCapping: {
      dailyQuotaGb: dailyCapGb
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
    // Only Entra-authenticated telemetry is accepted, so the connection string is no secret.
    DisableLocalAuth: true
  }
}

output appInsightsName string = appInsights.name
output appInsightsConnectionString string = appInsights.properties.ConnectionString
