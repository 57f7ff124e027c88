export { fitDeployment, type DeploymentFit, type DeploymentFitInput, type LabelledFeatures } from './fit-deployment.js'
