// Holds SM_TOKEN_SECRET and SM_WEBHOOK_KEY so the app settings carry only a Key Vault reference, readable by the
// apps' identity alone. RBAC mode; soft delete is short and purge protection is left off so that
// `azd down --purge` can remove the vault completely.

param name string
param location string
param tags object
@secure()
param tokenSecret string
@secure()
param webhookKey string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource tokenSecretEntry 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'sm-token-secret'
  properties: {
    value: tokenSecret
    contentType: 'HMAC key for confirmation tokens'
  }
}

resource webhookKeyEntry 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'sm-webhook-key'
  properties: {
    value: webhookKey
    contentType: 'Key material for webhook signing secrets at rest'
  }
}

output name string = vault.name
// The versioned URI: a new secret version changes the app setting, which restarts the apps on
// the new secret at once instead of within the platform's 24-hour refresh.
output tokenSecretUri string = tokenSecretEntry.properties.secretUriWithVersion
output webhookKeyUri string = webhookKeyEntry.properties.secretUriWithVersion
