// The one storage account of the deployment: the monitor's tables and queues, the Durable task
// hub, the Functions host's locks, and (created by functionapp.bicep) each region's package.

param name string
param location string
param tags object

@description('The app\'s tables (StorageNames.Tables). The app never creates them in Azure.')
param tables array

@description('The app\'s queues (StorageNames.Queues, regional ones once per region). Each gets its <queue>-poison twin.')
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

// The Functions host moves a message that failed five times to <queue>-poison. Declared here
// with its queue, so what failed is visible (and alertable) from the first deployment on.
resource appQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for queue in flatten(map(queues, q => [q, '${q}-poison'])): {
  parent: queueService
  name: queue
}]

output name string = storage.name
