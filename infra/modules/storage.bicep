// The one storage account of the deployment: the monitor's tables and queues, the Durable task
// hub, the Functions host's locks, and (created by functionapp.bicep) each region's package.

param name string
param location string
param tags object

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    // Everything (the app's SDK clients, the Functions host, Durable Functions, Flex deployment)
    // authenticates with the managed identity, so account keys are switched off altogether.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // Flex Consumption apps without a virtual network reach storage over its public endpoint.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

output name string = storage.name
