targetScope = 'subscription'

// Serverless Monitor for azd: one Flex Consumption app (.NET 10 isolated worker) per probing
// region. Every region shares one storage account (tables, queues, the Durable task hub), one Key
// Vault, one Application Insights and one Communication Services resource, all in the primary
// region (the first of `regions`). docs/DEPLOY.md explains the choices. The tests compile, lint and
// evaluate this file with the real Bicep compiler (tests/ServerlessMonitor.Tests/Infra). Keep it
// plain: no registry modules, so nothing is downloaded at build time.

@minLength(1)
@maxLength(64)
@description('azd environment name: names the resource group and seeds every other name.')
param environmentName string

@minLength(1)
@description('Where the resource group record lives (AZURE_LOCATION). Resources follow the regions below; pick the primary region here to keep things tidy.')
param location string

@minLength(1)
@description('Probing regions, primary first. Each must offer Flex Consumption. The primary also holds storage, Key Vault, monitoring and incidents.')
param regions array = [
  'eastus2'
  'northeurope'
  'southeastasia'
]

@description('Object id of whoever runs azd: gets data-plane roles to look at tables, queues, blobs and the deployment packages. Empty: none.')
param principalId string = ''

@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
@description('Kind of principal principalId is (azd sets AZURE_PRINCIPAL_TYPE).')
param principalType string = 'User'

@secure()
@description('Signs confirmation tokens (SM_TOKEN_SECRET). azd generates it once and keeps it in the environment config; docs/DEPLOY.md tells how to rotate it.')
@metadata({
  azd: {
    type: 'generate'
    config: {
      length: 48
      noSpecial: true
    }
  }
})
param tokenSecret string

@secure()
@description('Key from which the encryption key of webhook signing secrets is derived (SM_WEBHOOK_KEY). azd generates it once; rotating it invalidates every webhook channel.')
@metadata({
  azd: {
    type: 'generate'
    config: {
      length: 48
      noSpecial: true
    }
  }
})
param webhookKey string

@description('SMS sender number in E.164 form, bought by hand in ACS (docs/DEPLOY.md). Empty: SMS channels are off.')
param smsSender string = ''

@description('Email address of whoever runs this deployment: alerts about the deployment itself (a silent or untrusted region, the verdict step not running). Empty: they are only logged.')
param operatorEmail string = ''

@description('Custom domain to send email from, such as alerts.example.com (docs/DEPLOY.md). Empty: the Azure-managed domain only.')
param emailDomain string = ''

@description('Set to true once the DNS records of emailDomain are verified in the portal: then it is linked and used as the sender.')
param emailDomainVerified bool = false

@allowed([
  'Africa'
  'Asia Pacific'
  'Australia'
  'Brazil'
  'Canada'
  'Europe'
  'France'
  'Germany'
  'India'
  'Japan'
  'Korea'
  'Norway'
  'Switzerland'
  'UAE'
  'UK'
  'United States'
])
@description('Where Communication Services keeps message data at rest.')
param acsDataLocation string = 'United States'

@description('Base URL of links people open (confirmation pages). Empty: the primary app\'s https URL. Set it when a custom domain fronts the app.')
param publicBaseUrl string = ''

@allowed([
  512
  2048
  4096
])
@description('Memory of each Flex Consumption instance. CPU and network scale with it, and so does the bill.')
param instanceMemoryMB int = 2048

@minValue(1)
@maxValue(1000)
@description('Most instances one regional app may scale out to: the ceiling on what a flood of requests can cost.')
param maximumInstanceCount int = 40

@minValue(1)
@description('Daily ingestion cap of the Log Analytics workspace in GB: a hard ceiling on log cost if sampling is ever undone.')
param logDailyCapGb int = 1

// uniqueString gives 13 lower-case letters and digits: the suffix that keeps global names
// (storage, Key Vault, function apps) free of collisions between subscriptions and environments.
var resourceToken = toLower(uniqueString(subscription().id, environmentName))
var primaryRegion = regions[0]
var tags = {
  'azd-env-name': environmentName
}
var primaryTags = union(tags, {
  'azd-service-name': 'api'
})
// One task hub for every region: incidents are one Durable hub, whichever region's app holds it.
var taskHub = 'ServerlessMonitor'
var names = {
  resourceGroup: 'rg-${environmentName}'
  identity: 'id-${resourceToken}'
  storage: 'st${resourceToken}'
  keyVault: 'kv-${resourceToken}'
  logAnalytics: 'log-${resourceToken}'
  appInsights: 'appi-${resourceToken}'
  communication: 'acs-${resourceToken}'
  emailService: 'ecs-${resourceToken}'
}
// Region names have no dashes, so 'func-<region>-' is unique per region and short enough that
// the Functions host IDs (the first 32 characters of the name) of apps sharing storage differ.
var primaryAppName = 'func-${primaryRegion}-${resourceToken}'
// Every table and queue of functions/ServerlessMonitor.Core/Storage/StorageNames.cs, created with
// the account: in Azure the app never creates them (locally the runtime does, in Azurite). The
// tests keep these lists equal to StorageNames.
var appTables = [
  'accounts'
  'confirmations'
  'monitors'
  'incidents'
  'deliveries'
  'results'
  'rollups'
  'uptime'
  'cycles'
  'regions'
  'rechecks'
  'statuspages'
]
// Queues the whole deployment shares.
var appQueues = [
  'delivery-retries'
  'retention-rounds'
]
// Queues every region has its own of: StorageNames writes them with %SM_REGION%, as the queue
// trigger names them, and each region's app expands it to its own region.
var regionalQueues = [
  'probe-shards-%SM_REGION%'
]
var queueNames = concat(appQueues, flatten(map(regionalQueues, queue => map(regions, region => replace(queue, '%SM_REGION%', region)))))
var linkBaseUrl = empty(publicBaseUrl) ? 'https://${primaryAppName}.azurewebsites.net' : publicBaseUrl

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: names.resourceGroup
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: primaryRegion
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storage
    location: primaryRegion
    tags: tags
    tables: appTables
    queues: queueNames
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    appInsightsName: names.appInsights
    location: primaryRegion
    tags: tags
    dailyCapGb: logDailyCapGb
  }
}

module communication 'modules/communication.bicep' = {
  name: 'communication'
  scope: rg
  params: {
    communicationName: names.communication
    emailServiceName: names.emailService
    dataLocation: acsDataLocation
    tags: tags
    customDomain: emailDomain
    customDomainVerified: emailDomainVerified
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: names.keyVault
    location: primaryRegion
    tags: tags
    tokenSecret: tokenSecret
    webhookKey: webhookKey
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
    communicationName: communication.outputs.name
    identityPrincipalId: identity.outputs.principalId
    principalId: principalId
    principalType: principalType
  }
}

// Same package, same settings except SM_REGION. Only the primary carries the azd-service-name
// tag: azd deploys there, and the postdeploy hook (infra/hooks/deploy-regions.cs) publishes the
// same build to the others.
module apps 'modules/functionapp.bicep' = [for (region, i) in regions: {
  name: 'app-${region}'
  scope: rg
  dependsOn: [
    roles
  ]
  params: {
    appName: 'func-${region}-${resourceToken}'
    planName: 'plan-${region}-${resourceToken}'
    deploymentContainerName: 'app-package-${region}'
    location: region
    tags: i == 0 ? primaryTags : tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    tokenSecretUri: keyVault.outputs.tokenSecretUri
    webhookKeyUri: keyVault.outputs.webhookKeyUri
    acsEndpoint: communication.outputs.endpoint
    emailSender: communication.outputs.emailSender
    smsSender: smsSender
    operatorEmail: operatorEmail
    region: region
    regions: regions
    primaryRegion: primaryRegion
    publicBaseUrl: linkBaseUrl
    taskHub: taskHub
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
  }
}]

// azd reads these into the environment (.azure/<env>/.env); hooks and docs rely on them.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output SERVICE_API_NAME string = apps[0].outputs.name
output SERVICE_API_URI string = apps[0].outputs.url
output SM_FUNCTION_APPS array = [for (region, i) in regions: {
  region: region
  name: apps[i].outputs.name
  url: apps[i].outputs.url
}]
output SM_REGIONS string = join(regions, ',')
output SM_PRIMARY_REGION string = primaryRegion
output SM_PUBLIC_BASE_URL string = linkBaseUrl
output SM_ACS_ENDPOINT string = communication.outputs.endpoint
output SM_EMAIL_SENDER string = communication.outputs.emailSender
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_COMMUNICATION_SERVICE_NAME string = communication.outputs.name
output AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.appInsightsConnectionString
