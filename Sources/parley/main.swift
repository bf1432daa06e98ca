import ParleyCLI

await ParleyCommand.entrypoint()
