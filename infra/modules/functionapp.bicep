// One region of the monitor: a Flex Consumption plan and its function app, a .NET 10 isolated
// worker (functions/ServerlessMonitor.App). Every region gets the same settings except SM_REGION
// and the host ID; the tests compare the evaluated settings with the C# SettingCatalog, so a
// setting the code reads cannot be forgotten here.

param appName string
param planName string
param deploymentContainerName string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param appInsightsConnectionString string
param tokenSecretUri string
param webhookKeyUri string
param acsEndpoint string
param emailSender string
param smsSender string
param operatorEmail string
param region string
param regions array
param primaryRegion string
param publicBaseUrl string
param taskHub string
param instanceMemoryMB int
param maximumInstanceCount int

var appSettings = {
  // Identity-based host storage: the Functions host, timers, queues and the Durable task hub
  // derive their endpoints from the account name and sign in as the user-assigned identity.
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  // Apps sharing one storage account must not share a host ID, or their timer locks collide and
  // only one region would probe each minute.
  AzureFunctionsWebHost__hostid: 'sm-${region}'
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  SM_REGION: region
  SM_REGIONS: join(regions, ',')
  SM_PRIMARY_REGION: primaryRegion
  SM_PUBLIC_BASE_URL: publicBaseUrl
  SM_ALLOW_PRIVATE_TARGETS: 'false'
  SM_TOKEN_SECRET: '@Microsoft.KeyVault(SecretUri=${tokenSecretUri})'
  SM_WEBHOOK_KEY: '@Microsoft.KeyVault(SecretUri=${webhookKeyUri})'
  SM_TASK_HUB: taskHub
  SM_ACS_ENDPOINT: acsEndpoint
  SM_EMAIL_SENDER: emailSender
  SM_SMS_SENDER: smsSender
  SM_OPERATOR_EMAIL: operatorEmail
  // The ACS defaults for a custom email domain and a toll-free number; raise with the quota.
  SM_EMAIL_HOURLY_BUDGET: '100'
  SM_SMS_HOURLY_BUDGET: '12000'
  SM_CONFIRMATION_SHARE: '50'
  // Empty: the storage table endpoint and two anycast resolvers (SettingCatalog).
  SM_CANARY_TARGETS: ''
  SM_CYCLE_BUDGET: '2000'
  SM_DNSBL_LISTS: ''
  SM_DNSBL_RESOLVER: ''
  SM_DNSBL_QUERIES_PER_SECOND: '10'
  SM_DNSBL_RECHECK_MINUTES: '60'
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: storage
  name: 'default'
}

// A container per region: each app's package is its own, so one region's deployment can never
// pull the rug from under another while it starts.
resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references resolve as the user-assigned identity (there is no system identity).
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: [for setting in items(appSettings): {
        name: setting.key
        value: setting.value
      }]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer.name}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      // Flex Consumption has no FUNCTIONS_WORKER_RUNTIME setting: the runtime is declared here.
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

output name string = app.name
output url string = 'https://${app.properties.defaultHostName}'
