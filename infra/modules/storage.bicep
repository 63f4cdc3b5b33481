// The one storage account of the deployment: the monitor's tables and queues, the Durable task
// hub, the Functions host's locks, and (created by functionapp.bicep) each region's package.

param name string
param location string
param tags object

@description('The app\'s tables (TABLES in functions/storage/names.ts). The app never creates them in Azure.')
param tables array

@description('The app\'s queues: QUEUES in functions/storage/names.ts and each region\'s probe-shards queue.')
param queues array

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

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource appTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for table in tables: {
  parent: tableService
  name: table
}]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource appQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for queue in queues: {
  parent: queueService
  name: queue
}]

output name string = storage.name
