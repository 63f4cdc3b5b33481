// Email and SMS through Azure Communication Services. The Azure-managed email domain
// (<guid>.azurecomm.net) needs no DNS work and comes with the DoNotReply sender; a custom domain
// and an SMS number are added by hand (docs/DEPLOY.md).

param communicationName string
param emailServiceName string
param dataLocation string
param tags object

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

resource communication 'Microsoft.Communication/communicationServices@2023-04-01' = {
  name: communicationName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    linkedDomains: [
      managedDomain.id
    ]
  }
}

output name string = communication.name
output endpoint string = 'https://${communication.properties.hostName}'
output emailSender string = 'DoNotReply@${managedDomain.properties.mailFromSenderDomain}'
