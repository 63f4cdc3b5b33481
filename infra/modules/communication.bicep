// Email and SMS through Azure Communication Services. The Azure-managed email domain
// (<guid>.azurecomm.net) needs no DNS work and comes with the DoNotReply sender. A custom domain
// is declared here too, because this template owns the list of linked domains and would unlink
// one connected by hand: first created (its DNS records then show in the portal), then, once
// verified, linked and made the sender. An SMS number is bought by hand (docs/DEPLOY.md).

param communicationName string
param emailServiceName string
param dataLocation string
param tags object
@description('Custom sender domain such as alerts.example.com; empty for none.')
param customDomain string
@description('Set once the custom domain\'s DNS records are verified: link it and send from it.')
param customDomainVerified bool

var sendFromCustomDomain = !empty(customDomain) && customDomainVerified

resource emailService 'Microsoft.Communication/emailServices@2023-04-01' = {
  name: emailServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
  }
}

resource managedDomain 'Microsoft.Communication/emailServices/domains@2023-04-01' = {
  parent: emailService
  name: 'AzureManagedDomain'
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'AzureManaged'
    // Alerts and confirmation links must not be rewritten by click tracking.
    userEngagementTracking: 'Disabled'
  }
}

resource ownDomain 'Microsoft.Communication/emailServices/domains@2023-04-01' = if (!empty(customDomain)) {
  parent: emailService
  // A skipped resource still needs a valid name.
  name: empty(customDomain) ? 'none.invalid' : customDomain
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'CustomerManaged'
    userEngagementTracking: 'Disabled'
  }
}

resource communication 'Microsoft.Communication/communicationServices@2023-04-01' = {
  name: communicationName
  location: 'global'
  tags: tags
  dependsOn: [
    ownDomain
  ]
  properties: {
    dataLocation: dataLocation
    linkedDomains: sendFromCustomDomain ? [
      managedDomain.id
      resourceId('Microsoft.Communication/emailServices/domains', emailServiceName, customDomain)
    ] : [
      managedDomain.id
    ]
  }
}

output name string = communication.name
output endpoint string = 'https://${communication.properties.hostName}'
output emailSender string = sendFromCustomDomain ? 'DoNotReply@${customDomain}' : 'DoNotReply@${managedDomain.properties.mailFromSenderDomain}'
