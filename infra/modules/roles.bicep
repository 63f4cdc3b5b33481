// Data-plane roles, each on the one resource it is needed for. The apps' identity gets exactly
// what the code, the Functions host, Durable Functions and Flex deployment use; the deploying
// person (optional) gets read/write data access to look at what the monitor stores.

param storageAccountName string
param keyVaultName string
param appInsightsName string
param communicationName string
param identityPrincipalId string
param principalId string
param principalType string

// Storage Blob Data Owner: the Functions host keeps locks and keys in blobs, Durable Functions
// keeps leases and large messages there, and Flex Consumption reads the deployment package.
// Owner rather than Contributor because the host's AzureWebJobsStorage connection asks for it.
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
// Storage Queue Data Contributor: Durable Functions control and work-item queues, probe shards.
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
// Storage Table Data Contributor: the monitor's tables and the Durable history and instances.
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
// Storage Blob Data Contributor: for the deploying person, to inspect packages and task hub blobs.
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
// Key Vault Secrets User: resolve the SM_TOKEN_SECRET and SM_WEBHOOK_KEY references, read-only.
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
// Monitoring Metrics Publisher: send telemetry to Application Insights, which refuses keys.
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'
// Communication and Email Service Owner: ACS has no narrower built-in role that lets an Entra
// identity send email and SMS; it is scoped to this one Communication Services resource.
var communicationAndEmailServiceOwner = '09976791-48a7-449e-bb21-39d1a415f350'

var appRolesOnStorage = [
  storageBlobDataOwner
  storageQueueDataContributor
  storageTableDataContributor
]
var userRolesOnStorage = [
  storageBlobDataContributor
  storageQueueDataContributor
  storageTableDataContributor
]

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource communication 'Microsoft.Communication/communicationServices@2023-04-01' existing = {
  name: communicationName
}

resource appStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in appRolesOnStorage: {
  name: guid(storage.id, identityPrincipalId, role)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    principalId: identityPrincipalId
    // Declared so that a just-created identity is not looked up before it has replicated.
    principalType: 'ServicePrincipal'
  }
}]

resource appSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identityPrincipalId, keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource appTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identityPrincipalId, monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource appMessages 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(communication.id, identityPrincipalId, communicationAndEmailServiceOwner)
  scope: communication
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', communicationAndEmailServiceOwner)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource userStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in userRolesOnStorage: if (!empty(principalId)) {
  name: guid(storage.id, principalId, role)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    principalId: principalId
    principalType: principalType
  }
}]
